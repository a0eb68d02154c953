import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@chip-ledger/embedded-postgres';
import { PostgresEventStore } from '@chip-ledger/event-store';
import { bearer, listeningPort } from '@chip-ledger/testing';
import { Pool } from 'pg';

const workspaceRoot = path.resolve(__dirname, '../../../..');
const admin = bearer('admin', 'chip-ledger');

/**
 * A system of record keeps what it acknowledged. `npm start` (embedded PostgreSQL in a kept data directory, no
 * DATABASE_URL) is SIGKILLed, whole process tree, in the middle of a write load, then started again on the same data
 * directory: every write that was answered 201 is there, and every stream's hash chain verifies. With the embedded
 * server's old `synchronous_commit=off`, the commits of the last ~200 ms before the kill were acknowledged and lost.
 */
describe('npm start, killed under load', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'chipledger-durable-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged write, and its hash chains verify after the restart', async () => {
    const first = await startProduct(dataDir);
    const acknowledged: { organisationId: string; eventId: string }[] = [];
    let stop = false;
    const writer = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const organisationId = `org-${lane}-${i}`;
        try {
          const res = await fetch(`${first.baseUrl}/organisations`, {
            method: 'POST',
            headers: { authorization: admin, 'content-type': 'application/json', 'idempotency-key': organisationId },
            body: JSON.stringify({ organisationId, name: `Org ${lane}/${i}`, headquartersCountry: 'SG', ultimateParentHeadquartersCountry: 'SG' }),
          });
          const body = (await res.json()) as { eventIds?: string[] };
          if (res.status === 201 && body.eventIds?.[0]) acknowledged.push({ organisationId, eventId: body.eventIds[0] });
        } catch {
          return; // the server is gone
        }
      }
    };
    const lanes = [0, 1, 2, 3, 4, 5].map(writer);
    await until(() => acknowledged.length >= 300, 60_000);
    first.kill('SIGKILL'); // while writes are in flight
    stop = true;
    await Promise.all(lanes);
    await first.exited;

    // The same data directory, started again as `npm start` would: crash recovery, then serving.
    const second = await startProduct(dataDir);
    second.kill('SIGTERM');
    await second.exited;

    const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres') });
    const pool = new Pool({ connectionString: server.url });
    try {
      const { rows } = await pool.query<{ event_id: string }>('SELECT event_id FROM procurement.events WHERE event_id = ANY($1::uuid[])', [
        acknowledged.map((a) => a.eventId),
      ]);
      const stored = new Set(rows.map((r) => r.event_id));
      expect(acknowledged.filter((a) => !stored.has(a.eventId))).toEqual([]);
      const verification = await new PostgresEventStore(pool, 'procurement').verifyAll();
      expect(verification.ok).toBe(true);
    } finally {
      await pool.end();
      await server.stop?.();
    }
  }, 180_000);
});

interface Product {
  readonly baseUrl: string;
  readonly exited: Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

/** `npm start` as a user runs it: no DATABASE_URL, its own process group (so a kill takes the whole tree). */
async function startProduct(dataDir: string): Promise<Product> {
  // PORT=0: the OS chooses at bind time and the product's "listening on" line names it (a port picked beforehand can
  // be taken by another test's server meanwhile, which would then answer our health checks: startServiceProcess).
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', CHIPLEDGER_DATA_DIR: dataDir };
  delete env['DATABASE_URL'];
  delete env['KAFKA_BROKERS'];
  const child: ChildProcess = spawn(process.execPath, [path.join(workspaceRoot, 'tools/scripts/ts-run.mjs'), 'apps/standalone/src/main.ts'], {
    cwd: workspaceRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let port: number | null = null;
  const keep = (c: Buffer) => {
    output = (output + c.toString()).slice(-10_000);
    port ??= listeningPort(output);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const product: Product = {
    get baseUrl() {
      return `http://127.0.0.1:${port ?? 0}`;
    },
    exited,
    kill: (signal) => {
      try {
        process.kill(-(child.pid as number), signal);
      } catch {
        // already gone
      }
    },
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
    if (Date.now() > deadline) {
      product.kill('SIGKILL');
      throw new Error(`npm start was not healthy within 90 s:\n${output}`);
    }
    const status = port === null ? 0 : await fetch(`${product.baseUrl}/health`).then((r) => r.status, () => 0);
    if (status === 200) return product;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
