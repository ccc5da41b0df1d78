import { DataSource } from 'typeorm';
import { queryPrepared } from '../src/database/prepared-query';

describe('queryPrepared (real PostgreSQL)', () => {
  const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', poolSize: 1 });

  beforeAll(() => dataSource.initialize());
  afterAll(() => dataSource.destroy());

  /** The statements prepared on the (only) connection. */
  const prepared = (): Promise<{ name: string; statement: string }[]> => dataSource.query(`SELECT name, statement FROM pg_prepared_statements`);

  it('runs a statement as a named prepared statement of the transaction’s connection, planned there once', async () => {
    const text = 'SELECT $1::int + 1 AS n';
    const answers = await dataSource.transaction(async (manager) => [
      await queryPrepared<{ n: number }>(manager, 'test.plus-one', text, [41]),
      await queryPrepared<{ n: number }>(manager, 'test.plus-one', text, [1]),
    ]);
    expect(answers).toEqual([[{ n: 42 }], [{ n: 2 }]]);
    // One connection (poolSize 1): the statement stays prepared on it for the next transaction.
    expect(await prepared()).toEqual([{ name: 'test.plus-one', statement: text }]);
    // Its errors are PostgreSQL's, with their code (what the consumers' error classification reads).
    await expect(dataSource.transaction((manager) => queryPrepared(manager, 'test.divide', 'SELECT 1 / $1::int', [0]))).rejects.toMatchObject({ code: '22012' });
  });

  it('is a plain query outside a transaction', async () => {
    expect(await queryPrepared<{ n: number }>(dataSource.manager, 'test.outside', 'SELECT $1::int * 2 AS n', [21])).toEqual([{ n: 42 }]);
    expect((await prepared()).map((r) => r.name)).not.toContain('test.outside');
  });
});
