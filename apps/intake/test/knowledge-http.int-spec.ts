import { INestApplication } from '@nestjs/common';
import { Role } from '@hotline/contracts';
import { FeatureApp, startFeatureApp } from '@hotline/testing';
import { DataSource } from 'typeorm';
import { INTAKE_DATABASE } from '../src/database/intake.database';
import { demoKnowledgeEntries } from '../src/knowledge-base/demo-knowledge.entries';
import { KnowledgeBaseModule } from '../src/knowledge-base/knowledge-base.module';

describe('knowledge base over HTTP (real PostgreSQL)', () => {
  let app: INestApplication;
  let call: FeatureApp['call'];

  beforeAll(async () => {
    ({ app, call } = await startFeatureApp({
      service: 'intake',
      database: INTAKE_DATABASE,
      databaseName: 'hotline_test_intake_kb_http',
      imports: [KnowledgeBaseModule],
      env: { DEMO_SEED: true },
    }));
  });

  afterAll(() => app?.close());

  it('seeds the demo answers at start in demo mode, with their first versions', async () => {
    const ds = app.get(DataSource);
    const [{ entries, versions }] = await ds.query(
      `SELECT (SELECT count(*)::int FROM intake.knowledge_entry) AS entries,
              (SELECT count(*)::int FROM intake.knowledge_entry_version WHERE changed_by = 'demo-seed') AS versions`,
    );
    expect(entries).toBe(demoKnowledgeEntries().length);
    expect(versions).toBe(demoKnowledgeEntries().length);
  });

  describe('GET /api/knowledge', () => {
    it('gives the operator the best answers with their score', async () => {
      const res = await call('GET', `/api/knowledge?q=${encodeURIComponent('失业金怎么领')}&limit=3`, 'operator');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(3);
      const [first] = res.body.items;
      expect(Object.keys(first).sort()).toEqual(
        ['answer', 'domain', 'id', 'keywords', 'question', 'score', 'source', 'validFrom', 'validTo', 'version'].sort(),
      );
      expect(first).toMatchObject({ question: '失业保险金申领条件和需要的材料是什么？', domain: 'social-insurance', version: 1, validTo: null });
      expect(first.score).toBeGreaterThan(0);
    });

    it('filters by domain', async () => {
      const res = await call('GET', `/api/knowledge?q=${encodeURIComponent('工资')}&domain=wage-arrears`, 'handler');
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((i: { domain: string }) => i.domain === 'wage-arrears')).toBe(true);
    });

    it.each(['operator', 'dispatcher', 'handler', 'supervisor', 'admin'] as Role[])('is open to %s', async (role) => {
      expect((await call('GET', '/api/knowledge?q=社保卡', role)).status).toBe(200);
    });

    it('is closed to a leader, a channel and to anyone without a token', async () => {
      expect((await call('GET', '/api/knowledge?q=社保卡', 'leader')).status).toBe(403);
      expect((await call('GET', '/api/knowledge?q=社保卡', 'channel')).status).toBe(403);
      expect((await call('GET', '/api/knowledge?q=社保卡')).status).toBe(401);
    });

    it.each([
      ['', 'q: q must be given: the words to search for, 1–200 characters'],
      ['?q=', 'q: q must be 1–200 characters'],
      [`?q=${'字'.repeat(201)}`, 'q: q must be 1–200 characters'],
      ['?q=x&limit=500', 'limit: limit must be a whole number from 1 to 50'],
      ['?q=x&domain=housing', expect.stringMatching(/^domain: domain must be one of /)],
      ['?q=x&sort=score', 'sort: property sort should not exist'],
    ])('answers 400 naming the field for %s', async (query, message) => {
      const res = await call('GET', `/api/knowledge${encodeURI(query)}`, 'operator');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: [message] });
    });

    it('answers an empty list, not an error, when the words say nothing', async () => {
      expect(await call('GET', `/api/knowledge?q=${encodeURIComponent('请问怎么办')}`, 'operator')).toEqual({
        status: 200,
        body: { items: [] },
      });
    });
  });

  describe('GET /api/knowledge/:id', () => {
    it('shows one entry, 404 for an unknown one, 400 for a malformed id', async () => {
      const [hit] = (await call('GET', `/api/knowledge?q=${encodeURIComponent('年假')}`, 'operator')).body.items;
      const res = await call('GET', `/api/knowledge/${hit.id}`, 'supervisor');
      expect(res).toMatchObject({ status: 200, body: { id: hit.id, question: hit.question, active: true, inForce: true } });
      expect(await call('GET', '/api/knowledge/01890000-0000-7000-8000-000000000000', 'operator')).toMatchObject({
        status: 404,
        body: { message: ['id: no such knowledge entry'] },
      });
      expect(await call('GET', '/api/knowledge/not-a-uuid', 'operator')).toMatchObject({
        status: 400,
        body: { message: ['id: must be a UUID'] },
      });
    });
  });

  describe('administration', () => {
    const draft = {
      question: '就业见习补贴怎么申请？',
      answer: '吸纳离校未就业高校毕业生参加就业见习的单位，可以按规定申请就业见习补贴，标准以最新公布为准。',
      domain: 'employment',
      keywords: ['见习补贴', '就业见习'],
      source: '重庆市相关规定',
      validFrom: '2024-01-01',
    };

    it('lets only an admin in', async () => {
      for (const role of ['operator', 'supervisor', 'leader'] as Role[]) {
        expect((await call('GET', '/api/admin/knowledge', role)).status).toBe(403);
        expect((await call('POST', '/api/admin/knowledge', role, draft)).status).toBe(403);
      }
    });

    it('refuses a bad entry naming each field', async () => {
      const res = await call('POST', '/api/admin/knowledge', 'admin', {
        ...draft,
        domain: 'housing',
        validTo: '2023-06-30',
        author: 'me',
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^domain: /),
          'validTo: validTo must be on or after validFrom',
          'author: property author should not exist',
        ]),
      );
    });

    it('creates (201), updates (version+1), retires and keeps every version', async () => {
      const created = await call('POST', '/api/admin/knowledge', 'admin', draft);
      expect(created).toMatchObject({ status: 201, body: { version: 1, active: true, updatedBy: 'admin.tester', validTo: null } });
      const id: string = created.body.id;

      const found = await call('GET', `/api/knowledge?q=${encodeURIComponent('见习补贴怎么领')}`, 'operator');
      expect(found.body.items[0].id).toBe(id);

      const updated = await call('PUT', `/api/admin/knowledge/${id}`, 'admin', { version: 1, validTo: '2026-12-31' });
      expect(updated).toMatchObject({ status: 200, body: { version: 2, validTo: '2026-12-31' } });
      expect(await call('PUT', `/api/admin/knowledge/${id}`, 'admin', { version: 1, source: '《就业促进法》' })).toMatchObject({
        status: 409,
      });
      expect(await call('PUT', `/api/admin/knowledge/${id}`, 'admin', { validTo: '2020-01-01' })).toMatchObject({
        status: 400,
        body: { message: ['validTo: must be on or after validFrom (2024-01-01)'] },
      });

      expect(await call('POST', `/api/admin/knowledge/${id}/retire`, 'admin')).toMatchObject({
        status: 200,
        body: { version: 3, active: false },
      });
      expect(await call('POST', `/api/admin/knowledge/${id}/retire`, 'admin')).toMatchObject({ status: 409 });
      const after = await call('GET', `/api/knowledge?q=${encodeURIComponent('见习补贴怎么领')}`, 'operator');
      expect(after.body.items.map((i: { id: string }) => i.id)).not.toContain(id);

      const versions = await call('GET', `/api/admin/knowledge/${id}/versions`, 'admin');
      expect(versions.status).toBe(200);
      expect(versions.body.map((v: { version: number; change: string; changedBy: string }) => [v.version, v.change, v.changedBy])).toEqual([
        [1, 'created', 'admin.tester'],
        [2, 'updated', 'admin.tester'],
        [3, 'retired', 'admin.tester'],
      ]);
      expect(versions.body[1].snapshot).toMatchObject({ validTo: '2026-12-31', active: true });
      expect(versions.body[0].changedAt).toMatch(/\+08:00$/);

      const all = await call('GET', '/api/admin/knowledge?active=false', 'admin');
      expect(all.body.items.map((i: { id: string }) => i.id)).toContain(id);
      const list = await call('GET', '/api/admin/knowledge?pageSize=200', 'admin');
      expect(list.body.total).toBe(demoKnowledgeEntries().length + 1);
    });

    it('answers 404 for the versions of an unknown entry', async () => {
      expect((await call('GET', '/api/admin/knowledge/01890000-0000-7000-8000-000000000000/versions', 'admin')).status).toBe(404);
    });
  });
});
