import { createTestDatabase, type TestDatabase } from '@chip-ledger/testing';
import { main } from '../main';

/*
 * `npm run cli -- migrate status|run` (the CLI's own entry point, in this process: what it prints and the exit code it
 * returns) against a fresh database: status shows every scope pending, run applies them (as the services would at
 * start-up), status then shows none.
 */
/** Runs the CLI, returning its exit code and what it wrote. */
const cliRun = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')));
  try {
    const code = await main(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = undefined;
  }
};

interface Scope {
  scope: string;
  schema: string;
  applied: string[];
  pending: string[];
}

describe('cli migrate', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('cli_migrate');
  });
  afterAll(async () => {
    await database?.drop();
  });

  const cli = async (...args: string[]): Promise<string> => {
    const { code, stdout, stderr } = await cliRun(['migrate', ...args, '--database-url', database.url]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    return stdout;
  };
  const status = async (): Promise<Scope[]> => JSON.parse(await cli('status', '--json')) as Scope[];

  it('shows every scope pending on a fresh database, applies them with run, then shows none pending', async () => {
    const fresh = await status();
    expect(fresh.map((s) => s.scope)).toEqual([
      'event store procurement',
      'event store rental',
      'event store audit',
      'projection registry',
      'chip-mix (no generation yet)',
      'findings (no generation yet)',
      'licence-balances (no generation yet)',
      'rentals (no generation yet)',
    ]);
    for (const scope of fresh) expect({ scope: scope.scope, applied: scope.applied, pending: scope.pending.length > 0 }).toEqual({ scope: scope.scope, applied: [], pending: true });
    expect(fresh[0].pending).toContain('EventsTable1735689600001');
    expect(await cli('status')).toContain('Pending migrations:');

    const ran = JSON.parse(await cli('run', '--json')) as (Scope & { newlyApplied: string[] })[];
    expect(ran.every((s) => s.pending.length === 0 && s.newlyApplied.length > 0)).toBe(true);
    // Each read model got its first generation, its tables in that generation's schema.
    expect(ran.filter((s) => s.scope.includes('generation 1 (active)')).map((s) => s.scope.split(' ')[0])).toEqual(['chip-mix', 'findings', 'licence-balances', 'rentals']);

    const after = await status();
    expect(after.map((s) => ({ scope: s.scope, pending: s.pending }))).toEqual(ran.map((s) => ({ scope: s.scope, pending: [] })));
    expect(after.find((s) => s.scope === 'event store audit')?.applied).toEqual(fresh.find((s) => s.scope === 'event store audit')?.pending);
    expect(await cli('status')).toContain('Every schema is up to date.');
    // Run again: nothing left to apply.
    expect((JSON.parse(await cli('run', '--json')) as (Scope & { newlyApplied: string[] })[]).every((s) => s.newlyApplied.length === 0)).toBe(true);
  }, 120_000);

  it('refuses to run without a database, as a bad command line', async () => {
    const saved = process.env['DATABASE_URL'];
    delete process.env['DATABASE_URL'];
    try {
      const failed = await cliRun(['migrate', 'status']);
      expect(failed.code).toBe(2);
      expect(failed.stderr).toContain('no database');
    } finally {
      process.env['DATABASE_URL'] = saved;
    }
  });
});
