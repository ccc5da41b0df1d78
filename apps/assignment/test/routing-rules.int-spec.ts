import { ConflictException, HttpException } from '@nestjs/common';
import { departmentId } from '@hotline/contracts';
import { migratedServiceDatabase } from '@hotline/testing';
import { DataSource } from 'typeorm';
import { ASSIGNMENT_DATABASE } from '../src/database/assignment.database';
import { DepartmentsService } from '../src/departments/departments.service';
import type { RoutableTicket, RoutingDecision } from '../src/route-ticket/routing-decision';
import { DEFAULT_ROUTING_RULES, seededRuleId } from '../src/routing-rules/default-rules';
import { RoutingEngineService } from '../src/routing-rules/routing-engine.service';
import { RoutingRulesService } from '../src/routing-rules/routing-rules.service';

const YUZHONG = '500103';

function ticket(overrides: Partial<RoutableTicket> = {}): RoutableTicket {
  return {
    regionCode: YUZHONG,
    domain: 'employment',
    demandType: 'consultation',
    urgency: 'normal',
    title: '咨询',
    content: '想了解政策',
    ...overrides,
  };
}

/** The API error lines an HttpException carries. */
async function refusal(work: Promise<unknown>): Promise<{ status: number; message: string[] }> {
  try {
    await work;
  } catch (err) {
    if (!(err instanceof HttpException)) throw err;
    const body = err.getResponse() as { message: string[] | string };
    return { status: err.getStatus(), message: Array.isArray(body.message) ? body.message : [body.message] };
  }
  throw new Error('expected the call to be refused');
}

describe('routing rules and departments on PostgreSQL', () => {
  let dataSource: DataSource;
  let rules: RoutingRulesService;
  let departments: DepartmentsService;
  const engine = new RoutingEngineService();

  /** Routes inside a transaction, as the dispatch consumer does. */
  const decide = (t: RoutableTicket): Promise<RoutingDecision> => dataSource.transaction((m) => engine.decide(m, t));

  beforeAll(async () => {
    dataSource = await migratedServiceDatabase('assignment', 'hotline_test_assignment_routing', ASSIGNMENT_DATABASE);
    rules = new RoutingRulesService(dataSource);
    departments = new DepartmentsService(dataSource);
  });

  afterAll(() => dataSource?.destroy());

  it('seeds the default rule set with a first version each, the municipal-matter list and department history', async () => {
    const { items } = await rules.list();
    expect(items.map((r) => [r.id, r.priority, r.version, r.active])).toEqual(
      DEFAULT_ROUTING_RULES.map((r) => [r.id, r.priority, 1, true]),
    );
    expect(items[0]).toEqual(
      expect.objectContaining({ match: { categoryPrefixes: ['RC.02.02'] }, target: { mode: 'department', departmentCode: 'RSKS' } }),
    );
    const versions = await rules.versions(seededRuleId('default-region-bureau'));
    expect(versions).toEqual([
      expect.objectContaining({ version: 1, change: 'created', changedBy: 'system:migration', snapshot: expect.objectContaining({ match: {} }) }),
    ]);
    expect((await rules.municipalMatters()).map((m) => [m.categoryPrefix, m.officeCode])).toEqual([
      ['RC.02.02', 'RSKS'],
      ['RC.03', 'RCB'],
      ['SK.02', 'SBKZX'],
    ]);
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM assignment.department_version`);
    expect(count).toBe((await departments.list()).length);
  });

  it('routes with the seeded rules inside the caller transaction, recording rule id and version', async () => {
    expect(await decide(ticket({ domain: 'talent-personnel', categoryCode: 'RC.02.02' }))).toEqual(
      expect.objectContaining({ kind: 'assign', main: expect.objectContaining({ code: 'RSKS' }), ruleId: seededRuleId('personnel-exam'), ruleVersion: 1 }),
    );
    const group = await decide(ticket({ domain: 'wage-arrears', peopleAffected: 45, regionCode: '500101' }));
    expect(group).toEqual(expect.objectContaining({ kind: 'assign', main: expect.objectContaining({ code: '500101' }) }));
    expect(group.kind === 'assign' && group.coHandlers.map((c) => c.code)).toEqual(['JCZD']);
    expect(await decide(ticket({ domain: 'other' }))).toEqual(
      expect.objectContaining({ kind: 'review', suggested: expect.objectContaining({ code: YUZHONG }) }),
    );
  });

  it('creates, changes and retires a rule, a version each time, and routing follows', async () => {
    const lossTicket = ticket({ domain: 'social-security-card', categoryCode: 'SK.01.02', urgency: 'urgent' });
    expect(await decide(lossTicket)).toEqual(expect.objectContaining({ main: expect.objectContaining({ code: YUZHONG }) }));

    const created = await rules.create(
      {
        name: '社保卡紧急挂失 → 社保卡中心',
        priority: 150,
        match: { categoryPrefixes: ['SK.01.02'], urgency: 'urgent' },
        target: { mode: 'department', departmentCode: 'SBKZX' },
        coHandlerCodes: ['REGION'],
        confidence: 'sure',
      },
      'admin',
    );
    expect(created).toEqual(expect.objectContaining({ version: 1, active: true, updatedBy: 'admin' }));
    expect(await decide(lossTicket)).toEqual(
      expect.objectContaining({ kind: 'assign', main: expect.objectContaining({ code: 'SBKZX' }), ruleId: created.id, ruleVersion: 1 }),
    );
    expect(await decide({ ...lossTicket, urgency: 'normal' })).toEqual(expect.objectContaining({ main: expect.objectContaining({ code: YUZHONG }) }));

    const updated = await rules.update(created.id, { version: 1, priority: 50, confidence: 'review' }, 'admin2');
    expect(updated).toEqual(expect.objectContaining({ version: 2, priority: 50, confidence: 'review', updatedBy: 'admin2' }));
    expect(await decide(lossTicket)).toEqual(
      expect.objectContaining({ kind: 'review', suggested: expect.objectContaining({ code: 'SBKZX' }), ruleId: created.id }),
    );
    // The same values again change nothing and write no version (jsonb key order notwithstanding).
    expect(
      await rules.update(created.id, { match: { urgency: 'urgent', categoryPrefixes: ['SK.01.02'] }, priority: 50 }, 'admin'),
    ).toEqual(expect.objectContaining({ version: 2 }));

    expect(await refusal(rules.update(created.id, { version: 1, name: '过期的修改' }, 'admin'))).toEqual({
      status: 409,
      message: ['version: the rule is at version 2; reload it and apply the change again'],
    });

    const retired = await rules.retire(created.id, 'admin');
    expect(retired).toEqual(expect.objectContaining({ version: 3, active: false }));
    expect(await decide(lossTicket)).toEqual(expect.objectContaining({ main: expect.objectContaining({ code: YUZHONG }) }));
    expect((await refusal(rules.retire(created.id, 'admin'))).status).toBe(409);
    expect((await refusal(rules.update(created.id, { name: '复活' }, 'admin'))).status).toBe(409);

    const history = await rules.versions(created.id);
    expect(history.map((v) => [v.version, v.change, v.changedBy, v.snapshot.priority, v.snapshot.active])).toEqual([
      [1, 'created', 'admin', 150, true],
      [2, 'updated', 'admin2', 50, true],
      [3, 'retired', 'admin', 50, false],
    ]);
    expect(history[0].changedAt).toMatch(/\+08:00$/);
  });

  it('routes a consumer batch by one reading of the rules: a rule changed meanwhile applies from the next transaction', async () => {
    const lossTicket = ticket({ domain: 'social-security-card', categoryCode: 'SK.01.02', urgency: 'urgent' });
    const before = await decide(lossTicket);
    expect(before).toEqual(expect.objectContaining({ main: expect.objectContaining({ code: YUZHONG }) }));
    const inBatch: RoutingDecision[] = [];
    let rule: { id: string } | undefined;
    await dataSource.transaction(async (m) => {
      inBatch.push(await engine.decide(m, lossTicket));
      // Another transaction (an administrator) adds a rule for these tickets while the batch runs.
      rule = await rules.create(
        {
          name: '社保卡紧急挂失 → 社保卡中心（批内）',
          priority: 160,
          match: { categoryPrefixes: ['SK.01.02'], urgency: 'urgent' },
          target: { mode: 'department', departmentCode: 'SBKZX' },
          confidence: 'sure',
        },
        'admin',
      );
      inBatch.push(await engine.decide(m, lossTicket));
    });
    // The whole batch routed as its first reading saw the rules, as one statement would.
    expect(inBatch).toEqual([before, before]);
    expect(await decide(lossTicket)).toEqual(
      expect.objectContaining({ kind: 'assign', main: expect.objectContaining({ code: 'SBKZX' }), ruleId: rule?.id }),
    );
    await rules.retire(rule?.id as string, 'admin');
    expect(await decide(lossTicket)).toEqual(before);
  });

  it('keeps the tables it read between batches while nothing routing reads changes, and reads them again after any write to them', async () => {
    const examTicket = ticket({ domain: 'talent-personnel', categoryCode: 'RC.02.02' });
    const rsks = departmentId('RSKS');
    const before = await decide(examTicket);
    expect(before).toEqual(expect.objectContaining({ kind: 'assign', main: expect.objectContaining({ code: 'RSKS' }) }));
    const version = async () => (await dataSource.query(`SELECT version::text AS v FROM assignment.routing_tables_version`))[0].v as string;
    const renamed = async (name: string) => {
      await dataSource.query(`UPDATE assignment.department SET name = $2 WHERE id = $1`, [rsks, name]);
    };
    const v0 = await version();

    // With the version held still (its trigger off), a change is not seen: the batch used the tables kept.
    await dataSource.query(`ALTER TABLE assignment.department DISABLE TRIGGER department_changed`);
    try {
      await renamed('不应被看到的名称');
      expect(await version()).toBe(v0);
      expect(await decide(examTicket)).toEqual(before);
    } finally {
      await dataSource.query(`ALTER TABLE assignment.department ENABLE TRIGGER department_changed`);
    }
    // Any statement that writes a routing table moves the version, through a service or not.
    await renamed('市人事考试中心（改）');
    expect(await version()).not.toBe(v0);
    expect(await decide(examTicket)).toEqual(
      expect.objectContaining({ main: { id: rsks, code: 'RSKS', name: '市人事考试中心（改）' } }),
    );
    await dataSource.query(
      `INSERT INTO assignment.municipal_matter (category_prefix, name, office_code) VALUES ('JY.09', '测试市级事项', 'JYC')`,
    );
    const matter = await decide(ticket({ domain: 'employment', categoryCode: 'JY.09.01' }));
    expect(matter).toEqual(expect.objectContaining({ kind: 'review', reason: expect.stringContaining('测试市级事项') }));
    await dataSource.query(`DELETE FROM assignment.municipal_matter WHERE category_prefix = 'JY.09'`);

    // A change rolled back: the transaction that made it routes by it, no one after (its number is never reused).
    const v1 = await version();
    await dataSource
      .transaction(async (m) => {
        await m.query(`UPDATE assignment.department SET name = '回滚的名称' WHERE id = $1`, [rsks]);
        expect(await engine.decide(m, examTicket)).toEqual(expect.objectContaining({ main: expect.objectContaining({ name: '回滚的名称' }) }));
        throw new Error('roll back');
      })
      .catch((err: Error) => expect(err.message).toBe('roll back'));
    expect(await version()).toBe(v1);
    await renamed('市人事考试中心');
    expect(await decide(examTicket)).toEqual(before);
  });

  it('refuses a priority an active rule holds (409), but not one a retired rule held', async () => {
    const draft = {
      name: '就业补贴 → 就业处',
      priority: 100,
      match: { categoryPrefixes: ['JY.02'] },
      target: { mode: 'department' as const, departmentCode: 'JYC' },
      confidence: 'review' as const,
    };
    const clash = await refusal(rules.create(draft, 'admin'));
    expect(clash.status).toBe(409);
    expect(clash.message[0]).toMatch(/^priority: 100 is already used by the active rule "人事考试 → 市人事考试中心"/);
    // The rule retired above held 50; it is free again.
    const ok = await rules.create({ ...draft, priority: 50 }, 'admin');
    expect(ok.priority).toBe(50);
    expect((await refusal(rules.update(ok.id, { priority: 200 }, 'admin'))).status).toBe(409);
    await rules.retire(ok.id, 'admin');
  });

  it('answers 409 to the loser when two administrators take the same priority at once', async () => {
    const draft = (name: string) => ({
      name,
      priority: 777,
      match: { domains: ['employment' as const] },
      target: { mode: 'region-bureau' as const },
      confidence: 'sure' as const,
    });
    const results = await Promise.allSettled([rules.create(draft('甲'), 'admin'), rules.create(draft('乙'), 'admin')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(loser?.reason).toBeInstanceOf(ConflictException);
    const winner = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>;
    await rules.retire(winner.value.id, 'admin');
  });

  it('refuses departments that do not exist or are inactive, and co-handlers that repeat the main one, by field', async () => {
    const base = { name: '测试规则', priority: 9000, target: { mode: 'department' as const, departmentCode: 'NOPE' }, confidence: 'sure' as const };
    const bad = await refusal(rules.create({ ...base, coHandlerCodes: ['NOPE', 'JCZD', 'REGION'] }, 'admin'));
    expect(bad).toEqual({
      status: 400,
      message: ['target.departmentCode: no department has the code NOPE', 'coHandlerCodes: NOPE is already the main department'],
    });
    const regionTwice = await refusal(
      rules.create({ ...base, target: { mode: 'region-bureau' }, coHandlerCodes: ['REGION'] }, 'admin'),
    );
    expect(regionTwice.message).toEqual(['coHandlerCodes: REGION is already the main department (target region-bureau)']);
  });

  it('keeps departments versioned: create, rename, deactivate (never a target then), reactivate', async () => {
    const office = await departments.create({ code: 'XXZX', name: '市人力社保局信息中心' }, 'admin');
    expect(office).toEqual(expect.objectContaining({ id: departmentId('XXZX'), kind: 'municipal-office', version: 1, active: true }));
    expect((await refusal(departments.create({ code: 'XXZX', name: '重复' }, 'admin'))).status).toBe(409);
    expect((await refusal(departments.create({ code: 'REGION', name: '保留' }, 'admin'))).status).toBe(400);

    const rsks = departmentId('RSKS');
    const examTicket = ticket({ domain: 'talent-personnel', categoryCode: 'RC.02.02' });
    const off = await departments.update(rsks, { active: false }, 'admin');
    expect(off).toEqual(expect.objectContaining({ active: false, version: 2 }));
    const decision = await decide(examTicket);
    expect(decision).toEqual(expect.objectContaining({ kind: 'review', suggested: null, ruleId: seededRuleId('personnel-exam') }));
    // A rule may not be pointed at an inactive department.
    const refused = await refusal(
      rules.create({ name: '考试', priority: 9100, target: { mode: 'department', departmentCode: 'RSKS' }, confidence: 'sure' }, 'admin'),
    );
    expect(refused.message).toEqual(['target.departmentCode: department RSKS (市人事考试中心) is inactive']);

    expect(await departments.update(rsks, { active: false }, 'admin')).toEqual(expect.objectContaining({ version: 2 }));
    expect((await refusal(departments.update(rsks, { version: 1, name: '改名' }, 'admin'))).status).toBe(409);
    await departments.update(rsks, { active: true, name: '重庆市人事考试中心' }, 'admin');
    expect((await departments.versions(rsks)).map((v) => [v.version, v.change, v.snapshot.active, v.snapshot.name])).toEqual([
      [1, 'created', true, '市人事考试中心'],
      [2, 'updated', false, '市人事考试中心'],
      [3, 'updated', true, '重庆市人事考试中心'],
    ]);
    expect(await decide(examTicket)).toEqual(
      expect.objectContaining({ kind: 'assign', main: { id: rsks, code: 'RSKS', name: '重庆市人事考试中心' } }),
    );
  });

  it('holds the 基层减负 guard with the real data: without the 人事考试 rule, the ticket waits for the dispatcher', async () => {
    await rules.retire(seededRuleId('personnel-exam'), 'admin');
    const outcome = await rules.dryRun({
      regionCode: YUZHONG,
      domain: 'talent-personnel',
      demandType: 'complaint',
      urgency: 'normal',
      categoryCode: 'RC.02.02',
      title: '考试成绩',
      content: '事业单位考试成绩有疑问',
    });
    expect(outcome.decision).toEqual(
      expect.objectContaining({ kind: 'review', suggested: expect.objectContaining({ code: 'RSKS' }), ruleId: seededRuleId('default-region-bureau') }),
    );
    expect(outcome.trace.at(-1)).toEqual(expect.objectContaining({ ruleId: 'guard:municipal-matter', matched: true }));
    expect(outcome.trace.some((t) => t.ruleId === seededRuleId('personnel-exam'))).toBe(false);
  });

  it('refuses unknown ids with 404', async () => {
    const missing = '01900000-0000-7000-8000-000000000000';
    expect((await refusal(rules.versions(missing))).status).toBe(404);
    expect((await refusal(rules.update(missing, { name: '无' }, 'admin'))).status).toBe(404);
    expect((await refusal(departments.update(missing, { name: '无' }, 'admin'))).status).toBe(404);
  });
});
