/**
 * Knowledge base search under load: 10,000 entries, 500 searches as operators type them.
 *
 *   node -r @swc-node/register bench/knowledge-search.bench.ts
 *
 * Creates (drops first) the database hotline_test_bench_kb on the test server (TEST_POSTGRES_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres), migrates the intake schema, loads the
 * entries through the service's own bulk insert, warms up, then times KnowledgeSearch.search
 * (query building, SQL, mapping; one connection, one search at a time) and prints percentiles.
 * Target: p99 < 50 ms. It prints numbers and asserts nothing.
 */
import 'reflect-metadata';
import { REGIONS } from '@hotline/contracts';
import { migrateServiceSchema, serviceDataSourceOptions } from '@hotline/platform';
import { createTestDatabase } from '@hotline/testing';
import { DataSource } from 'typeorm';
import { INTAKE_DATABASE } from '../apps/intake/src/database/intake.database';
import { demoKnowledgeEntries, DemoKnowledgeEntry } from '../apps/intake/src/knowledge-base/demo-knowledge.entries';
import { KnowledgeEntries } from '../apps/intake/src/knowledge-base/knowledge-entries.service';
import { KnowledgeEntry } from '../apps/intake/src/knowledge-base/knowledge-entry.entity';
import { KnowledgeSearch } from '../apps/intake/src/knowledge-base/knowledge-search.service';
import { Mulberry32 } from '@hotline/testing';

const ENTRIES = 10_000;
const BATCH = 500;
const WARM_UP = 100;
const SEARCHES = 500;

/** Deterministic pseudo-random numbers (the test workloads' mulberry32), so two runs search the same things. */
function random(seed: number): () => number {
  const source = new Mulberry32(seed);
  return () => source.next();
}

/** Ways the same policy is worded in different notices and by different districts. */
const REWORDINGS: [RegExp, string][] = [
  [/失业保险金/g, '失业金'],
  [/社保卡/g, '社会保障卡'],
  [/基本养老金/g, '养老金'],
  [/劳动保障监察机构/g, '劳动监察大队'],
  [/用人单位/g, '单位'],
  [/申请/g, '申办'],
  [/人社网上办事大厅/g, '重庆人社网上办事大厅'],
];

const TOPICS = ['办理流程', '所需材料', '办理时限', '常见问题', '线上办理', '窗口办理', '政策解读', '特殊情形'];

/** The n-th generated entry: a demo answer, localised to a district, reworded, dated. */
function generated(n: number, demo: DemoKnowledgeEntry[]): DemoKnowledgeEntry {
  const base = demo[n % demo.length];
  const region = REGIONS[Math.floor(n / demo.length) % REGIONS.length];
  const variant = Math.floor(n / (demo.length * REGIONS.length));
  const topic = TOPICS[(n + variant) % TOPICS.length];
  const [pattern, replacement] = REWORDINGS[(n + variant) % REWORDINGS.length];
  const year = 2019 + (n % 7);
  const phone = `023-${String(60000000 + ((n * 7919) % 9999999)).padStart(8, '0')}`;
  // About one entry in ten has ended (a past validTo), one in twenty starts in the future,
  // spread over the families (a hash of n, not n itself, which would pick whole families).
  const hash = Math.imul(n + 1, 2654435761) >>> 0;
  const ended = hash % 10 === 3;
  const future = hash % 20 === 7;
  return {
    question: `${region.name}${base.question.replace(pattern, replacement)}（${topic}）`,
    answer: `${region.name}人力社保局${year}年答复口径：${base.answer.replace(pattern, replacement)}咨询电话${phone}。`,
    domain: base.domain,
    keywords: [...base.keywords.slice(0, 4), region.name, `${region.name}${base.keywords[0]}`.slice(0, 30), topic],
    source: `${base.source}（${region.name}）`,
    validFrom: future ? '2999-01-01' : `${year}-0${1 + (n % 9)}-01`,
    validTo: ended ? `${year}-12-31` : null,
  };
}

/** How callers put it, with the district they name and the filler they use. */
const PHRASES = [
  '失业金怎么领', '失业金能领几个月', '被公司辞退了能拿多少补偿', '老板拖欠工资三个月了去哪里投诉', '社保卡丢了怎么办',
  '新社保卡怎么激活', '养老金每年都要认证吗', '在外省交的社保能转回重庆吗', '上班路上出车祸算工伤吗', '入职半年公司一直没签合同',
  '周末加班没有加班费', '最低工资是多少', '自己开个店有没有创业补贴', '自由职业者怎么交养老保险', '企业稳岗补贴怎么申请',
  '考了电工证有没有补贴', '中级职称怎么申报', '事业单位招聘公告在哪里看', '劳动仲裁超过一年还能申请吗', '公积金怎么取出来',
  '开公司怎么办社保登记', '应届毕业生找工作有什么补贴', '试用期最长几个月', '年假有几天', '包工头跑路了工资找谁要',
  '退休金是怎么算的', '延迟退休我几岁能退', '单位不给我交社保', '医保怎么报销', '社保卡密码忘了', '工伤了单位不管怎么办',
  '我想查一下我的社保交了多少年', '电子社保卡在哪里弄', '人事档案怎么转', '12333几点有人工服务', '招了新员工要办什么手续',
  '创业贷款怎么贷', '失业金咋个领', '农民工工资被拖欠了', '工伤认定需要什么材料', '失业登记在哪里办',
];
const OPENINGS = ['', '', '请问', '你好，我想问一下', '我是外地来的，', '麻烦问下'];
const DOMAINS = ['social-insurance', 'labour-relations', 'employment', 'wage-arrears'] as const;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const url = await createTestDatabase('hotline_test_bench_kb');
  const options = serviceDataSourceOptions('intake', { DATABASE_URL: url }, INTAKE_DATABASE);
  await migrateServiceSchema(options);
  const dataSource = new DataSource({ ...options, logging: ['error'] });
  await dataSource.initialize();
  try {
    const entries = new KnowledgeEntries(dataSource);
    const search = new KnowledgeSearch(dataSource.getRepository(KnowledgeEntry));
    const demo = demoKnowledgeEntries();

    const started = Date.now();
    const ids: string[] = [];
    for (let from = 0; from < ENTRIES; from += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, ENTRIES - from) }, (_, i) => generated(from + i, demo));
      const created = await dataSource.transaction((manager) => entries.createManyIn(manager, batch, 'bench'));
      ids.push(...created.map((e) => e.id));
    }
    // One entry in twenty retired, through the service (versions and term counts follow).
    for (let i = 11; i < ids.length; i += 20) await entries.retire(ids[i], 'bench');
    await dataSource.query('VACUUM ANALYZE intake.knowledge_entry');
    await dataSource.query('VACUUM ANALYZE intake.knowledge_term');
    const [{ active, total, terms }] = await dataSource.query(
      `SELECT count(*) FILTER (WHERE active)::int AS active, count(*)::int AS total,
              round(avg(cardinality(search_terms)))::int AS terms FROM intake.knowledge_entry`,
    );
    console.log(`loaded ${total} entries (${active} active, ~${terms} terms each) in ${Date.now() - started} ms`);

    const next = random(12333);
    const queries = Array.from({ length: WARM_UP + SEARCHES }, () => {
      const phrase = PHRASES[Math.floor(next() * PHRASES.length)];
      const opening = OPENINGS[Math.floor(next() * OPENINGS.length)];
      const region = next() < 0.3 ? REGIONS[Math.floor(next() * REGIONS.length)].name : '';
      const domain = next() < 0.2 ? DOMAINS[Math.floor(next() * DOMAINS.length)] : undefined;
      return { q: `${opening}${region}${phrase}`, domain };
    });

    for (const { q, domain } of queries.slice(0, WARM_UP)) await search.search(q, { domain });
    const measured = queries.slice(WARM_UP);

    /** The 500 searches, timed one after the other. */
    const run = async (exhaustive = false) => {
      const out: { ms: number; q: string; domain?: string; ids: string[]; best: number }[] = [];
      for (const { q, domain } of measured) {
        const t0 = process.hrtime.bigint();
        const hits = await search.search(q, { domain, limit: 10, exhaustive });
        out.push({ ms: Number(process.hrtime.bigint() - t0) / 1e6, q, domain, ids: hits.map((h) => h.id), best: hits[0]?.score ?? 0 });
      }
      return out;
    };
    const report = (label: string, timings: Awaited<ReturnType<typeof run>>) => {
      const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
      const fmt = (ms: number) => ms.toFixed(1).padStart(6);
      const empty = timings.filter((t) => t.ids.length === 0).length;
      console.log(
        `${label.padEnd(34)} p50 ${fmt(percentile(sorted, 50))}  p95 ${fmt(percentile(sorted, 95))}  ` +
          `p99 ${fmt(percentile(sorted, 99))}  max ${fmt(sorted[sorted.length - 1])} ms  (${empty} without result)`,
      );
    };

    const timings = await run();
    const results = timings.reduce((sum, t) => sum + t.ids.length, 0);
    console.log(`${SEARCHES} searches after ${WARM_UP} warm-up, limit 10, one at a time:`);
    report(`candidate budget ${search.candidateBudget} (production)`, timings);
    console.log(`  results: ${results} in total, ${(results / SEARCHES).toFixed(1)} per search`);

    // What the candidate budget costs in quality: the same searches with every entry that shares
    // any term as a candidate, however common the term.
    const exhaustive = await run(true);
    report('exhaustive (every term filters)', exhaustive);
    // Generated entries come in families (one demo answer × 41 districts × reworded), so several
    // entries often tie for first place: "as good" compares the top score, "same" the top entry.
    const agreement = (budgeted: Awaited<ReturnType<typeof run>>) => {
      let same = 0;
      let asGood = 0;
      let overlap = 0;
      budgeted.forEach((t, i) => {
        const truth = exhaustive[i];
        if (t.ids[0] === truth.ids[0]) same++;
        if (t.best >= truth.best) asGood++;
        overlap += truth.ids.length ? t.ids.filter((id) => truth.ids.includes(id)).length / truth.ids.length : 1;
      });
      const pct = (n: number) => `${((100 * n) / budgeted.length).toFixed(1)} %`;
      return `top result as good ${pct(asGood)}, same entry ${pct(same)}, top-10 overlap ${pct(overlap)}`;
    };
    console.log(`  budget ${search.candidateBudget} vs exhaustive: ${agreement(timings)}`);
    const production = search.candidateBudget;
    for (const budget of [500, 1000, 4000]) {
      search.candidateBudget = budget;
      const other = await run();
      report(`candidate budget ${budget}`, other);
      console.log(`  budget ${budget} vs exhaustive: ${agreement(other)}`);
    }
    search.candidateBudget = production;

    const slowest = timings.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(`slowest: "${slowest.q}"${slowest.domain ? ` in ${slowest.domain}` : ''} ${slowest.ms.toFixed(2)} ms; its plan:`);
    for (const line of await search.explain(slowest.q, { domain: slowest.domain as never })) {
      console.log(`  ${line.length > 160 ? `${line.slice(0, 160)}…` : line}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
