import { spawn } from 'node:child_process';
import path from 'node:path';
import { bearer, createTestDatabase, startServiceProcess, type ServiceProcess, type TestDatabase } from '@chip-ledger/testing';

const workspaceRoot = path.resolve(__dirname, '../../../..');
const ENTRY = 'apps/standalone/src/main.ts';

/** The JSON lines a process wrote (every line must be one: no banner, no colour codes, no stray text). */
const jsonLines = (output: string): Record<string, unknown>[] =>
  output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${JSON.stringify(line)}`);
      }
    });

/* The real process (`main.ts`), its stdout a pipe as under Docker or systemd. */
describe('standalone process: logs and start-up', () => {
  let database: TestDatabase;
  let service: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase('standalone_logs');
    service = await startServiceProcess(ENTRY, { DATABASE_URL: database.url, LOG_LEVEL: 'info', LOG_FORMAT: '' });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  it('writes one JSON line per request (request id, actor, organisation, route, status, latency), and nothing but JSON lines', async () => {
    const res = await fetch(`${service.baseUrl}/data-centers/dc-missing`, { headers: { authorization: bearer('operator', 'log-org'), 'x-request-id': 'log-test-1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('log-test-1');
    const deadline = Date.now() + 5_000;
    while (!service.output().includes('"requestId":"log-test-1"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

    const output = service.output();
    expect(output).not.toContain('\x1b[');
    const lines = jsonLines(output);
    const requestLines = lines.filter((line) => line['requestId'] === 'log-test-1');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      level: 'info',
      service: 'standalone',
      method: 'GET',
      route: '/data-centers/:dataCenterId',
      url: '/data-centers/dc-missing',
      status: 404,
      actor: 'operator@log-org',
      organisation: 'log-org',
      role: 'operator',
      msg: 'GET /data-centers/:dataCenterId 404',
    });
    expect(typeof requestLines[0]['latencyMs']).toBe('number');
    expect(typeof requestLines[0]['time']).toBe('string');
    // No request headers in the logs: bearer tokens would leak into them.
    expect(output).not.toMatch(/authorization|Bearer /i);
    // Start-up is a few lines at info, not Nest's inventory of every module and route (those are debug).
    expect(lines.filter((line) => line['context'] === 'RouterExplorer')).toEqual([]);
    expect(lines.some((line) => line['context'] === 'Bootstrap' && String(line['msg']).includes('listening on'))).toBe(true);
  });

  it('a bad setting stops the start with one plain line naming it, and exit code 1', async () => {
    const child = spawn(process.execPath, [path.join(workspaceRoot, 'tools/scripts/ts-run.mjs'), ENTRY], {
      cwd: workspaceRoot,
      env: { ...process.env, DATABASE_URL: database.url, PORT: 'eighty', KAFKA_BROKERS: 'nohost', JWT_SECRET: 'too-short' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'Invalid configuration: PORT must be an integer 0..65535 (got "eighty"); KAFKA_BROKERS must be host:port[,host:port...] (got "nohost"); JWT_SECRET must be at least 32 characters\n',
    );
  }, 60_000);
});
