import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@chip-ledger/embedded-postgres';

const workspaceRoot = path.resolve(__dirname, '../../..');

/**
 * A deployable in its own process group, as in production (`node tools/scripts/ts-run.mjs <main.ts>`, or `npm start`).
 * Every exit the suite did not cause is recorded: a service that dies on a fault would need a manual restart.
 */
export interface ChaosService {
  readonly name: string;
  readonly baseUrl: string;
  /** Exits the suite did not cause, with the last lines the process printed. */
  readonly crashes: readonly string[];
  /** Lines of its output matching unhandled errors (`Unhandled 'error' event`, uncaught exceptions). */
  unhandledErrors(): string[];
  output(): string;
  /** SIGKILL to the whole process group (node, ts-run, an embedded PostgreSQL): a crash. */
  kill(): Promise<void>;
  /** Starts it again with the same environment and port; resolves once it serves HTTP. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startService(name: string, command: { entry: string } | { npm: string }, env: Record<string, string>): Promise<ChaosService> {
  const port = Number(env['PORT'] ?? (await freePort()));
  const crashes: string[] = [];
  let output = '';
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let expectedExit = false;

  const launch = async () => {
    expectedExit = false;
    const [file, args] = 'npm' in command ? ['npm', ['run', '--silent', command.npm]] : [process.execPath, [path.join(workspaceRoot, 'tools/scripts/ts-run.mjs'), command.entry]];
    const proc = spawn(file, args, {
      cwd: workspaceRoot,
      // A service must not outlive the suite if the suite dies (tools/scripts/ts-run.mjs watches its parent).
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', CHIPLEDGER_EXIT_WITH_PARENT: '1' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-400_000));
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    exited = new Promise<void>((resolve) =>
      proc.on('exit', (code, signal) => {
        if (!expectedExit) crashes.push(`${name} exited (${code ?? signal}) on its own:\n${output.trim().split('\n').slice(-15).join('\n')}`);
        resolve();
      }),
    );
    await waitServing(`http://127.0.0.1:${port}`, () => (proc.exitCode !== null || proc.signalCode !== null ? `${name} exited before serving:\n${output.trim().split('\n').slice(-20).join('\n')}` : null));
  };

  const signalGroup = (signal: NodeJS.Signals) => {
    const pid = child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };

  await launch();
  return {
    name,
    baseUrl: `http://127.0.0.1:${port}`,
    crashes,
    unhandledErrors: () => output.split('\n').filter((line) => /Unhandled 'error' event|uncaughtException|UnhandledPromiseRejection|Unhandled promise rejection/i.test(line)),
    output: () => output,
    kill: async () => {
      expectedExit = true;
      signalGroup('SIGKILL');
      await exited;
    },
    restart: launch,
    stop: async () => {
      expectedExit = true;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Until GET /health/live answers (the process serves HTTP; its dependencies may still be coming). */
async function waitServing(baseUrl: string, failed: () => string | null, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const why = failed();
    if (why) throw new Error(why);
    try {
      if ((await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(2_000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${baseUrl} did not serve within ${timeoutMs / 1000} s`);
}
