import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@chip-ledger/embedded-postgres';

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
 */
export async function startServiceProcess(entry: string, env: Record<string, string | undefined>): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(workspaceRoot, 'tools/scripts/ts-run.mjs'), entry], {
    cwd: workspaceRoot,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', CHIPLEDGER_EXIT_WITH_PARENT: '1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-200_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const service: ServiceProcess = {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    output: () => output,
    alive: () => !exited,
    stop: () => stopGroup(child, exit, () => exited),
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${entry} exited before it was healthy:\n${output.trim().split('\n').slice(-20).join('\n')}`);
    try {
      if ((await fetch(`${service.baseUrl}/health`)).status === 200) return service;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await service.stop();
  throw new Error(`${entry} was not healthy within 90 s:\n${output.trim().split('\n').slice(-20).join('\n')}`);
}

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
