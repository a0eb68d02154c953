import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const workspaceRoot = path.resolve(__dirname, '../../../..');

export interface ServiceProcess {
  readonly baseUrl: string;
  readonly pid: number;
  /** The last lines it printed (for failure messages). */
  output(): string;
  /** False once it has exited, whatever the reason. */
  alive(): boolean;
  /** SIGTERM to its process group, SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/**
 * Runs a deployable as its own process, exactly as in production (`node tools/scripts/ts-run.mjs <main.ts>`),
 * and waits until GET /health answers 200.
 *
 * The service binds PORT=0 and the OS chooses its port at bind time; the port is read from the service's own
 * "listening on" log line. Picking a free port first and handing it over (as this did) left seconds between the check
 * and the bind, while other test processes bind ports by the hundred (supertest listens on a new port per request):
 * when another server took the port first, the service failed to bind and exited, and its /health check was answered
 * by the other server, so the test wrote to someone else's service (a 503 and then a 404 for its own data, or
 * ECONNREFUSED once that server closed). Only the service's own line names its port.
 */
export async function startServiceProcess(entry: string, env: Record<string, string | undefined>): Promise<ServiceProcess> {
  const merged = { ...process.env, ...env };
  if (merged['LOG_LEVEL'] !== undefined && !['trace', 'debug', 'info', ''].includes(merged['LOG_LEVEL'])) {
    throw new Error(`startServiceProcess reads the port from the service's info-level "listening on" line: LOG_LEVEL=${merged['LOG_LEVEL']} would hide it`);
  }
  const child = spawn(process.execPath, [path.join(workspaceRoot, 'tools/scripts/ts-run.mjs'), entry], {
    cwd: workspaceRoot,
    env: { ...merged, PORT: '0', HOST: '127.0.0.1', CHIPLEDGER_EXIT_WITH_PARENT: '1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let port: number | null = null;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
    port ??= listeningPort(output);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const stop = () => stopGroup(child, exit, () => exited);
  const last = () => output.trim().split('\n').slice(-20).join('\n');
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${entry} exited before it was healthy:\n${last()}`);
    if (port !== null) {
      const baseUrl = `http://127.0.0.1:${port}`;
      try {
        if ((await fetch(`${baseUrl}/health`)).status === 200) {
          return { baseUrl, pid: child.pid ?? -1, output: () => output, alive: () => !exited, stop };
        }
      } catch {
        // listening, not answering yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`${entry} was not healthy within 90 s:\n${last()}`);
}

/**
 * The port in the service's "<name> listening on http://<host>:<port> (…)" line (`startHttpApp`), once printed whole
 * (a non-digit after the port: output comes in chunks, and a chunk may end inside the number).
 */
export const listeningPort = (output: string): number | null => {
  const match = /listening on http:\/\/[^\s:"]+:(\d+)\D/.exec(output);
  return match ? Number(match[1]) : null;
};

async function stopGroup(child: ChildProcess, exit: Promise<void>, exited: () => boolean): Promise<void> {
  if (child.pid === undefined || exited()) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 15_000);
  await exit;
  clearTimeout(timer);
}
