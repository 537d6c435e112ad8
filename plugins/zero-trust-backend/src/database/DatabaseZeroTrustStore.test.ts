import { sqliteFileDatabase } from '@internal/portal-node/testUtils';
import { DatabaseZeroTrustStore } from './DatabaseZeroTrustStore';

describe('DatabaseZeroTrustStore on a SQLite file', () => {
  let file: ReturnType<typeof sqliteFileDatabase>;

  beforeEach(() => {
    file = sqliteFileDatabase('zero-trust');
  });

  afterEach(async () => {
    await file.remove();
  });

  it('writes decisions through a write-ahead log without waiting for the disk', async () => {
    const store = await DatabaseZeroTrustStore.create(file);
    const knex = await file.database.getClient();

    await store.addDecisions([
      {
        atMs: 1_000,
        policyVersion: 1,
        decision: 'allow',
        policyId: 'allow-api-gateway',
        riskScore: 12,
        input: { clientAddress: '203.0.113.7' },
      },
    ]);

    expect(await store.recentDecisions({ sinceMs: 0, limit: 5 })).toEqual([
      expect.objectContaining({ decision: 'allow', riskScore: 12 }),
    ]);
    expect(await knex.raw('PRAGMA journal_mode')).toEqual([
      { journal_mode: 'wal' },
    ]);
    expect(await knex.raw('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]);
  });
});
