import { migratedServiceDatabase } from '@hotline/testing';
import { DataSource } from 'typeorm';
import { INTAKE_DATABASE } from '../src/database/intake.database';
import { demoKnowledgeEntries } from '../src/knowledge-base/demo-knowledge.entries';
import { KnowledgeEntries } from '../src/knowledge-base/knowledge-entries.service';
import { KnowledgeEntry } from '../src/knowledge-base/knowledge-entry.entity';
import { KnowledgeSearch } from '../src/knowledge-base/knowledge-search.service';

/**
 * How citizens put it on the phone → the demo entry (by its question) the operator must see
 * first. `top` is 1 unless a comment says why a neighbour may come first.
 */
const PHRASINGS: { query: string; expected: string; top?: number }[] = [
  { query: '失业金怎么领', expected: '失业保险金申领条件和需要的材料是什么？' },
  { query: '我被公司辞退了，能拿多少补偿', expected: '被单位辞退能拿到多少经济补偿？怎么计算？' },
  { query: '老板拖欠工资三个月了去哪里投诉', expected: '单位拖欠工资去哪里投诉？需要准备什么材料？' },
  { query: '社保卡丢了怎么办', expected: '社保卡丢了怎么挂失和补办？' },
  { query: '新社保卡怎么激活', expected: '新领的社保卡怎么激活？' },
  { query: '养老金每年都要认证吗', expected: '领取养老金的退休人员每年都要做资格认证吗？怎么认证？' },
  { query: '在外省交的社保能转回重庆吗', expected: '在外地交的养老保险怎么转到重庆？' },
  { query: '上班路上出车祸算工伤吗，多久内要申请', expected: '工伤认定要在多长时间内申请？需要哪些材料？' },
  { query: '入职半年了公司一直没签合同', expected: '入职好几个月单位一直不签劳动合同怎么办？' },
  { query: '周末加班没有加班费', expected: '加班工资怎么计算？周末加班有加班费吗？' },
  { query: '重庆最低工资是多少', expected: '重庆现在的最低工资标准是多少？' },
  { query: '自己开个店有没有创业补贴', expected: '自主创业可以申请一次性创业补贴吗？需要什么条件？' },
  { query: '自由职业者怎么交养老保险', expected: '灵活就业人员（个体户、自由职业者）怎么参加养老保险？' },
  { query: '企业稳岗补贴怎么申请', expected: '企业怎么申请失业保险稳岗返还？' },
  { query: '考了电工证有没有补贴', expected: '考了职业技能等级证书能领技能提升补贴吗？' },
  { query: '中级职称怎么申报', expected: '职称评审怎么申报？什么时候申报？' },
  { query: '事业单位招聘公告在哪里看', expected: '重庆事业单位公开招聘在哪里看公告？怎么报名？' },
  { query: '劳动仲裁超过一年了还能申请吗', expected: '劳动仲裁的申请时效是多久？去哪里申请？' },
  { query: '公积金怎么取出来', expected: '住房公积金怎么提取？（非人社业务，转介）' },
  { query: '开公司怎么办社保登记', expected: '新开办企业怎么办理社保登记？能一网通办吗？' },
  { query: '应届毕业生找工作有什么补贴', expected: '高校毕业生有哪些就业补贴？离校未就业怎么办？' },
  { query: '试用期最长几个月', expected: '试用期最长可以约定多久？试用期工资有什么规定？' },
  { query: '年假有几天', expected: '带薪年休假有几天？没休的年假有补偿吗？' },
  { query: '包工头跑路了工资找谁要', expected: '工程项目的农民工工资保证金是什么？包工头跑路了工资找谁要？' },
  { query: '退休金是怎么算的', expected: '退休后的基本养老金是怎么计算的？' },
  { query: '延迟退休我几岁能退', expected: '现在多少岁可以退休？延迟退休怎么计算？' },
  { query: '单位不给我交社保', expected: '单位不给员工交社保怎么办？' },
  { query: '医保怎么报销', expected: '医保报销和医保缴费找哪个部门？（非人社业务，转介）' },
  { query: '社保卡密码忘了', expected: '社保卡密码忘了或者被锁了怎么办？' },
  { query: '失业金能领几个月', expected: '失业保险金能领多久？每月能领多少？' },
  { query: '工伤了单位不管怎么办', expected: '工伤认定要在多长时间内申请？需要哪些材料？' },
  { query: '我想查一下我的社保交了多少年', expected: '怎么查询自己的社保缴费记录？' },
  { query: '被开除了有没有赔偿', expected: '被单位辞退能拿到多少经济补偿？怎么计算？' },
  { query: '退休人员怎么做生存认证', expected: '领取养老金的退休人员每年都要做资格认证吗？怎么认证？' },
  // 农民工 points to the building-site answer (保证金, 总包清偿) as much as to the general complaint one.
  { query: '农民工工资被拖欠了', expected: '单位拖欠工资去哪里投诉？需要准备什么材料？', top: 2 },
  { query: '电子社保卡在哪里弄', expected: '电子社保卡怎么申领？有什么用？' },
  { query: '人事档案怎么转', expected: '离职后人事档案放在哪里？档案怎么转？' },
  { query: '12333几点有人工服务', expected: '12333热线能办什么？服务时间是怎样的？' },
  { query: '招了新员工要办什么手续', expected: '企业招用新员工要办哪些人社手续？' },
  { query: '农村的居民养老保险一年交多少', expected: '没有工作单位的城乡居民怎么参加居民养老保险？' },
  { query: '我是个体户怎么交社保', expected: '灵活就业人员（个体户、自由职业者）怎么参加养老保险？' },
  { query: '创业贷款怎么贷', expected: '创业担保贷款怎么申请？额度和贴息是怎样的？' },
  { query: '考编在哪报名', expected: '重庆事业单位公开招聘在哪里看公告？怎么报名？' },
  { query: '试用期公司可以不交社保吗', expected: '单位不给员工交社保怎么办？' },
  // 重庆话: 咋个 / 啷个 = 怎么.
  { query: '失业金咋个领', expected: '失业保险金申领条件和需要的材料是什么？' },
  { query: '社保卡掉了啷个办', expected: '社保卡丢了怎么挂失和补办？' },
];

describe('knowledge base search (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let entries: KnowledgeEntries;
  let search: KnowledgeSearch;

  beforeAll(async () => {
    dataSource = await migratedServiceDatabase('intake', 'hotline_test_intake_kb', INTAKE_DATABASE);
    entries = new KnowledgeEntries(dataSource);
    search = new KnowledgeSearch(dataSource.getRepository(KnowledgeEntry));
    for (const entry of demoKnowledgeEntries()) await entries.create(entry, 'test-admin');
  });

  afterAll(() => dataSource?.destroy());

  it('seeds 30–40 demo entries across every business domain, each with its first version', async () => {
    const demo = demoKnowledgeEntries();
    expect(demo.length).toBeGreaterThanOrEqual(30);
    expect(demo.length).toBeLessThanOrEqual(40);
    const domains: { domain: string }[] = await dataSource.query('SELECT DISTINCT domain FROM intake.knowledge_entry');
    expect(domains.map((d) => d.domain).sort()).toEqual(
      ['business-environment', 'employment', 'labour-relations', 'other', 'social-insurance', 'social-security-card', 'talent-personnel', 'wage-arrears'],
    );
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM intake.knowledge_entry_version WHERE version = 1 AND change = 'created'`);
    expect(count).toBe(demo.length);
  });

  it('answers each everyday phrasing with the right policy first', async () => {
    const table: string[] = [];
    const misses: string[] = [];
    for (const { query, expected, top = 1 } of PHRASINGS) {
      const hits = await search.search(query, { limit: 5 });
      const rank = hits.findIndex((h) => h.question === expected) + 1;
      table.push(`| ${query} | ${hits[0]?.question ?? '—'} | ${hits[0]?.score ?? '—'} | ${rank || '—'} |`);
      if (rank < 1 || rank > top) misses.push(`${query} → ${hits.map((h) => `${h.question} (${h.score})`).join(' · ')}`);
    }
    if (process.env.KNOWLEDGE_PRINT) console.log(['| query | top result | score | rank of expected |', ...table].join('\n'));
    expect(misses).toEqual([]);
  });

  it('filters by domain', async () => {
    const all = await search.search('工资', { limit: 50 });
    expect(new Set(all.map((h) => h.domain)).size).toBeGreaterThan(1);
    const arrears = await search.search('工资', { domain: 'wage-arrears', limit: 50 });
    expect(arrears.length).toBeGreaterThan(0);
    expect(arrears.every((h) => h.domain === 'wage-arrears')).toBe(true);
    const personnel = await search.search('失业金怎么领', { domain: 'talent-personnel', limit: 50 });
    expect(personnel.every((h) => h.domain === 'talent-personnel')).toBe(true);
    expect(personnel.map((h) => h.question)).not.toContain('失业保险金申领条件和需要的材料是什么？');
  });

  it('scores in SQL between 0 and 1, best first, and honours the limit', async () => {
    const hits = await search.search('失业金怎么领', { limit: 3 });
    expect(hits).toHaveLength(3);
    for (const hit of hits) expect(hit.score).toBeGreaterThan(0);
    expect(hits[0].score).toBeLessThanOrEqual(1);
    expect([...hits].sort((a, b) => b.score - a.score)).toEqual(hits);
  });

  it('finds nothing for words that say nothing', async () => {
    expect(await search.search('请问一下怎么办？')).toEqual([]);
  });

  it('offers an entry only within its validity dates', async () => {
    const expired = await entries.create(
      {
        question: '阶段性降低失业保险费率的过渡期政策',
        answer: '这项阶段性政策已到期，过渡期内按原规定执行，到期后按最新费率缴纳，以最新公布为准。',
        domain: 'social-insurance',
        keywords: ['降费率过渡期'],
        source: '重庆市相关规定',
        validFrom: '2020-01-01',
        validTo: '2021-12-31',
      },
      'test-admin',
    );
    const future = await entries.create(
      {
        question: '降费率过渡期新办法何时施行',
        answer: '新办法尚未施行，施行后按新办法执行，具体以届时公布的通知为准。',
        domain: 'social-insurance',
        keywords: ['降费率过渡期'],
        source: '重庆市相关规定',
        validFrom: '2999-01-01',
      },
      'test-admin',
    );
    const ids = async (today?: string) => (await search.search('降费率过渡期', { limit: 50, today })).map((h) => h.id);
    expect(await ids()).not.toContain(expired.id);
    expect(await ids()).not.toContain(future.id);
    expect(await ids('2021-12-31')).toContain(expired.id); // the last day is still in force
    expect(await ids('2022-01-01')).not.toContain(expired.id);
    expect(await ids('2999-01-01')).toContain(future.id);
  });

  it('never offers a retired entry, but keeps it and its history readable', async () => {
    const entry = await entries.create(
      {
        question: '临时性求职补助申领',
        answer: '这项临时性求职补助按当年通知执行，具体以最新公布为准。',
        domain: 'employment',
        keywords: ['临时求职补助'],
        source: '重庆市相关规定',
        validFrom: '2024-01-01',
      },
      'test-admin',
    );
    expect((await search.search('临时求职补助')).map((h) => h.id)).toContain(entry.id);
    const retired = await entries.retire(entry.id, 'test-admin');
    expect(retired).toMatchObject({ active: false, version: 2, inForce: false });
    expect((await search.search('临时求职补助')).map((h) => h.id)).not.toContain(entry.id);
    expect(await entries.get(entry.id)).toMatchObject({ id: entry.id, active: false });
    await expect(entries.retire(entry.id, 'test-admin')).rejects.toMatchObject({ status: 409 });
    await expect(entries.update(entry.id, { answer: '再改一次答复口径，已废止的不能改。' }, 'test-admin')).rejects.toMatchObject({ status: 409 });
    expect((await entries.versions(entry.id)).map((v) => [v.version, v.change])).toEqual([
      [1, 'created'],
      [2, 'retired'],
    ]);
  });

  it('bumps the version on update, writes the version row, and searches the new wording', async () => {
    const entry = await entries.create(
      {
        question: '见习补贴怎么申请',
        answer: '参加就业见习的单位按规定申请见习补贴，标准以最新公布为准。',
        domain: 'employment',
        keywords: ['见习补贴'],
        source: '重庆市相关规定',
        validFrom: '2024-01-01',
      },
      'admin-a',
    );
    const updated = await entries.update(entry.id, { keywords: ['见习补贴', '实习生补助'], version: 1 }, 'admin-b');
    expect(updated).toMatchObject({ version: 2, keywords: ['见习补贴', '实习生补助'], updatedBy: 'admin-b' });

    const versions = await entries.versions(entry.id);
    expect(versions.map((v) => [v.version, v.change, v.changedBy])).toEqual([
      [1, 'created', 'admin-a'],
      [2, 'updated', 'admin-b'],
    ]);
    expect(versions[0].snapshot.keywords).toEqual(['见习补贴']);
    expect(versions[1].snapshot.keywords).toEqual(['见习补贴', '实习生补助']);
    expect((await search.search('实习生补助'))[0]?.id).toBe(entry.id);

    // A stale version is refused; an update that changes nothing makes no version.
    await expect(entries.update(entry.id, { answer: '另一位管理员基于旧版本的修改。', version: 1 }, 'admin-c')).rejects.toMatchObject({
      status: 409,
    });
    expect(await entries.update(entry.id, { keywords: ['见习补贴', '实习生补助'] }, 'admin-c')).toMatchObject({ version: 2 });
    expect(await entries.versions(entry.id)).toHaveLength(2);

    // The end date is checked against the stored start date.
    await expect(entries.update(entry.id, { validTo: '2023-12-31' }, 'admin-c')).rejects.toMatchObject({
      status: 400,
      response: { message: ['validTo: must be on or after validFrom (2024-01-01)'] },
    });
  });

  it('writes the entry and its version together or not at all', async () => {
    const before: { n: number }[] = await dataSource.query('SELECT count(*)::int AS n FROM intake.knowledge_entry');
    await expect(
      dataSource.transaction(async (manager) => {
        await entries.createIn(
          manager,
          { question: '事务回滚测试问题', answer: '这条答复会随事务一起回滚。', domain: 'other', keywords: [], source: '测试', validFrom: '2024-01-01' },
          'test-admin',
        );
        throw new Error('the caller fails after the insert');
      }),
    ).rejects.toThrow('the caller fails');
    const after: { n: number }[] = await dataSource.query('SELECT count(*)::int AS n FROM intake.knowledge_entry');
    expect(after[0].n).toBe(before[0].n);
  });

  it('keeps the term counts equal to a recount of the active entries, through creates, updates and retirements', async () => {
    const mismatches = await dataSource.query(`
      WITH recount AS (
        SELECT t AS term, domain, count(*)::int AS entries
          FROM intake.knowledge_entry, unnest(array_append(search_terms, '')) AS t
         WHERE active GROUP BY t, domain)
      SELECT coalesce(r.term, k.term) AS term, coalesce(r.domain, k.domain) AS domain, r.entries AS recounted, k.entries AS kept
        FROM recount r FULL JOIN (SELECT * FROM intake.knowledge_term WHERE entries <> 0) k USING (term, domain)
       WHERE r.entries IS DISTINCT FROM k.entries`);
    expect(mismatches).toEqual([]);
  });

  it('weighs rare words above common ones', async () => {
    // 保险 is in many answers, 挂失 in one: an entry holding only 挂失 outranks one holding only 保险.
    const [first] = await search.search('保险挂失');
    expect(first.question).toBe('社保卡丢了怎么挂失和补办？');
  });

  it('seeds only into an empty knowledge base', async () => {
    expect(await entries.seedIfEmpty(demoKnowledgeEntries(), 'demo-seed')).toBe(0);
  });
});
