import { INestApplication } from '@nestjs/common';
import { departmentId } from '@hotline/contracts';
import { FeatureApp, startFeatureApp } from '@hotline/testing';
import { ASSIGNMENT_DATABASE } from '../src/database/assignment.database';
import { RoutingEngine } from '../src/route-ticket/routing-decision';
import { seededRuleId } from '../src/routing-rules/default-rules';
import { RoutingEngineService } from '../src/routing-rules/routing-engine.service';
import { RoutingRulesModule } from '../src/routing-rules/routing-rules.module';

describe('routing rules and departments admin over HTTP', () => {
  let app: INestApplication;
  let call: FeatureApp['call'];

  beforeAll(async () => {
    ({ app, call } = await startFeatureApp({
      service: 'assignment',
      database: ASSIGNMENT_DATABASE,
      databaseName: 'hotline_test_assignment_routing_http',
      imports: [RoutingRulesModule],
    }));
  });

  afterAll(() => app?.close());

  it('provides the rule engine behind the RoutingEngine port', () => {
    expect(app.get(RoutingEngine)).toBeInstanceOf(RoutingEngineService);
  });

  it('lets only administrators manage rules; dispatchers may dry-run; no token is 401', async () => {
    expect((await call('GET', '/api/admin/routing-rules', 'admin')).body.total).toBe(8);
    expect(await call('GET', '/api/admin/routing-rules', 'dispatcher')).toEqual({
      status: 403,
      body: { statusCode: 403, error: 'Forbidden', message: ['role: dispatcher may not do this'] },
    });
    expect((await call('GET', '/api/admin/routing-rules', null)).status).toBe(401);
    expect((await call('POST', '/api/admin/routing-rules/dry-run', 'operator', { regionCode: '500103', domain: 'employment', demandType: 'help' })).status).toBe(403);
    expect((await call('GET', '/api/admin/departments', 'supervisor')).status).toBe(403);
    expect((await call('GET', '/api/admin/routing-rules/municipal-matters', 'dispatcher')).body).toHaveLength(3);
  });

  it('answers a dry run with the decision and the trace', async () => {
    const answer = await call('POST', '/api/admin/routing-rules/dry-run', 'dispatcher', {
      regionCode: '500101',
      domain: 'employment',
      demandType: 'help',
      categoryCode: 'JY.03.02',
      title: '创业担保贷款',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.decision).toEqual(
      expect.objectContaining({
        kind: 'assign',
        main: { id: departmentId('JYC'), code: 'JYC', name: '市人力社保局就业处' },
        coHandlers: [{ id: departmentId('500101'), code: '500101', name: '万州区人力社保局' }],
        ruleId: seededRuleId('startup-guaranteed-loan'),
        ruleVersion: 1,
      }),
    );
    expect(answer.body.trace).toHaveLength(8);
    expect(answer.body.trace[3]).toEqual(expect.objectContaining({ matched: true, why: '分类 JY.03.02 属 JY.03.02 → 采用' }));
  });

  it('creates, updates, retires a rule and lists its versions; field-level 400s and 409s', async () => {
    const bad = await call('POST', '/api/admin/routing-rules', 'admin', {
      name: '坏',
      priority: 'first',
      target: { mode: 'department', departmentCode: 'JYC' },
      confidence: 'sure',
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(
      expect.arrayContaining(['name: name must be 2–100 characters', 'priority: priority must be a whole number from 1 to 1000000']),
    );

    const taken = await call('POST', '/api/admin/routing-rules', 'admin', {
      name: '职业技能等级认定 → 职业能力建设处',
      priority: 100,
      match: { categoryPrefixes: ['JY.04.02'] },
      target: { mode: 'department', departmentCode: 'ZYNL' },
      confidence: 'sure',
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toBe('Conflict');

    const unknown = await call('POST', '/api/admin/routing-rules', 'admin', {
      name: '未知单位',
      priority: 9001,
      target: { mode: 'department', departmentCode: 'ZZZ' },
      confidence: 'sure',
    });
    expect(unknown).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: ['target.departmentCode: no department has the code ZZZ'] },
    });

    const created = await call('POST', '/api/admin/routing-rules', 'admin', {
      name: '职业技能等级认定 → 职业能力建设处',
      priority: 450,
      match: { categoryPrefixes: ['JY.04.02'] },
      target: { mode: 'department', departmentCode: 'ZYNL' },
      coHandlerCodes: ['REGION'],
      confidence: 'sure',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(expect.objectContaining({ version: 1, updatedBy: 'admin.tester', coHandlerCodes: ['REGION'] }));
    const id = created.body.id as string;

    const updated = await call('PUT', `/api/admin/routing-rules/${id}`, 'admin', { version: 1, confidence: 'review' });
    expect(updated).toEqual({ status: 200, body: expect.objectContaining({ version: 2, confidence: 'review' }) });
    // null for a field means "leave it": no change, no version.
    expect((await call('PUT', `/api/admin/routing-rules/${id}`, 'admin', { target: null, version: null })).body.version).toBe(2);
    expect((await call('PUT', '/api/admin/routing-rules/not-a-uuid', 'admin', { name: '无效' })).body.message).toEqual(['id: must be a UUID']);

    expect((await call('POST', `/api/admin/routing-rules/${id}/retire`, 'admin')).body).toEqual(expect.objectContaining({ version: 3, active: false }));
    const versions = await call('GET', `/api/admin/routing-rules/${id}/versions`, 'admin');
    expect(versions.body.map((v: { change: string }) => v.change)).toEqual(['created', 'updated', 'retired']);
  });

  it('manages departments: list all, add an office, deactivate it (version 2), never delete', async () => {
    const created = await call('POST', '/api/admin/departments', 'admin', { code: 'LDNL', name: '市劳动能力鉴定中心' });
    expect(created).toEqual({ status: 201, body: expect.objectContaining({ id: departmentId('LDNL'), version: 1, active: true }) });
    expect((await call('POST', '/api/admin/departments', 'admin', { code: 'ldnl', name: '小写' })).body.message).toEqual([
      'code: code must be 2–20 capital letters or digits starting with a letter, like RSKS (region bureaus already exist)',
    ]);
    const off = await call('PUT', `/api/admin/departments/${departmentId('LDNL')}`, 'admin', { active: false });
    expect(off.body).toEqual(expect.objectContaining({ active: false, version: 2 }));
    const all = await call('GET', '/api/admin/departments', 'admin');
    expect(all.body.find((d: { code: string }) => d.code === 'LDNL')).toEqual(expect.objectContaining({ active: false }));
    expect(all.body).toHaveLength(52);
    const history = await call('GET', `/api/admin/departments/${departmentId('LDNL')}/versions`, 'admin');
    expect(history.body.map((v: { version: number; changedBy: string }) => [v.version, v.changedBy])).toEqual([
      [1, 'admin.tester'],
      [2, 'admin.tester'],
    ]);
    expect((await call('DELETE', `/api/admin/departments/${departmentId('LDNL')}`, 'admin')).status).toBe(404);
  });
});
