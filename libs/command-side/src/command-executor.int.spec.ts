import { DomainError, type Actor } from '@chip-ledger/domain';
import { openDatabase, type Database } from '@chip-ledger/persistence';
import { PostgresEventStore, migrateEventStore } from '@chip-ledger/event-store';
import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import type { Pool } from 'pg';
import { CommandExecutor, type CommandRequest } from './command-executor';
import { systemClock } from './tokens';
import type { UnitOfWork } from './unit-of-work';

describe('CommandExecutor (real PostgreSQL store)', () => {
  let database: TestDatabase;
  let db: Database;
  let pool: Pool;
  let store: PostgresEventStore;
  let executor: CommandExecutor;
  const actor: Actor = { id: 'op-1', organisation: 'org-1', role: 'operator' };

  /** A registration decider in miniature: the stream's event count is its state; a second registration is refused. */
  const registrations = { initialState: () => 0, evolve: (count: number) => count + 1 };
  const register = (streamId: string) => async (uow: UnitOfWork) => {
    if ((await uow.load(registrations, streamId)) > 0) {
      throw new DomainError('DATA_CENTER.ALREADY_REGISTERED', `${streamId} is already registered`);
    }
    uow.record(streamId, [{ type: 'AuditNoteRecorded', data: { auditId: streamId, note: 'registered' } } as never]);
  };

  beforeAll(async () => {
    database = await createTestDatabase('command_executor');
    db = await openDatabase({ url: database.url, poolSize: 4 });
    pool = db.pool;
    store = new PostgresEventStore(pool, 'procurement');
    await migrateEventStore(db.dataSource, store.schema);
    executor = new CommandExecutor(store, systemClock);
  });

  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  /**
   * The retry looks its key up while the first request is still on its way (the key is free), then the first
   * commits, then the retry loads the moved stream and its decider refuses. Without a second look-up the client
   * would be told "already registered" for its own request.
   */
  async function overtakingRetry(streamId: string, firstHash: string, retryHash: string) {
    const request = (requestHash: string): CommandRequest => ({ service: 'test', actor, idempotency: { key: `key-${streamId}`, requestHash } });
    let lookedUp!: () => void;
    let committed!: () => void;
    const retryLookedUp = new Promise<void>((resolve) => (lookedUp = resolve));
    const firstCommitted = new Promise<void>((resolve) => (committed = resolve));
    const retry = executor.execute(request(retryHash), async (uow) => {
      lookedUp();
      await firstCommitted;
      await register(streamId)(uow);
    });
    await retryLookedUp;
    const first = await executor.execute(request(firstHash), register(streamId));
    committed();
    return { first, retry: retry.then((value) => ({ value }), (error: unknown) => ({ error })) };
  }

  it('answers a retry that overtook its first request with the first answer, writing nothing', async () => {
    const { first, retry } = await overtakingRetry('audit-a', 'hash-1', 'hash-1');
    const answer = await retry;
    expect(answer).toEqual({ value: { ...first, replayed: true } });
    expect(await store.readStream('audit-a')).toHaveLength(1);
  });

  it('refuses such a retry with another body as a reused key, not as the decider would', async () => {
    const { retry } = await overtakingRetry('audit-b', 'hash-1', 'hash-2');
    const answer = (await retry) as { error: Error };
    expect(answer.error.name).toBe('IdempotencyConflictError');
    expect(await store.readStream('audit-b')).toHaveLength(1);
  });

  it('keeps the decider refusal when there is no idempotency key', async () => {
    await executor.execute({ service: 'test', actor, idempotency: null }, register('audit-c'));
    await expect(executor.execute({ service: 'test', actor, idempotency: null }, register('audit-c'))).rejects.toMatchObject({
      code: 'DATA_CENTER.ALREADY_REGISTERED',
    });
  });
});
