import { FeatureApp, startFeatureApp, TcpRelay } from '@hotline/testing';
import { INTAKE_DATABASE } from '../src/database/intake.database';
import { KnowledgeBaseModule } from '../src/knowledge-base/knowledge-base.module';

/**
 * Issue #9: PostgreSQL going away while a service runs. The service talks to the real database
 * through a TCP relay the test cuts and restores: meanwhile every request is answered 503 with
 * Retry-After (the client may try again), never 500, and the service serves again by itself.
 */
describe('a service whose database goes away mid-run (real PostgreSQL behind a relay)', () => {
  let feature: FeatureApp;
  let relay: TcpRelay;
  const search = `/api/knowledge?q=${encodeURIComponent('失业金怎么领')}`;

  beforeAll(async () => {
    relay = await TcpRelay.onFreePort(5432);
    await relay.open();
    feature = await startFeatureApp({
      service: 'intake',
      database: INTAKE_DATABASE,
      databaseName: 'hotline_test_intake_db_down',
      imports: [KnowledgeBaseModule],
      env: { DEMO_SEED: true },
      connectVia: (url) => url.replace(/@[^/]+\//, `@127.0.0.1:${relay.port}/`),
    });
  });

  afterAll(async () => {
    await feature?.close();
    await relay?.cut().catch(() => undefined);
  });

  it('answers 503 with Retry-After while the database is unreachable, and serves again once it is back', async () => {
    expect((await feature.call('GET', search, 'operator')).status).toBe(200);

    await relay.cut();
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${feature.base}${search}`, { headers: { authorization: `Bearer ${feature.token('operator')}` } });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: ['service: temporarily unavailable (its database or cache cannot be reached); try again shortly'],
      });
    }

    await relay.open();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await feature.call('GET', search, 'operator')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  }, 60_000);
});
