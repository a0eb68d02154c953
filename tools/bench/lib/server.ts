import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { childrenOf } from './cpu';
import { getJson } from './http-client';
import { sleep } from './stats';

const workspaceRoot = path.resolve(__dirname, '../../..');

export interface ServerProcess {
  readonly baseUrl: string;
  /** The process running the app (the ts-run launcher's child), for CPU accounting. */
  readonly appPid: () => number[];
  /** Lines the server printed (kept for the error message when it dies). */
  readonly output: () => string;
  stop: () => Promise<void>;
}

export interface ServerOptions {
  readonly entry: string;
  readonly port: number;
  readonly env: Record<string, string>;
  /** Directory for a V8 CPU profile of the app (`node --cpu-prof`, a `.cpuprofile` written at exit), or null. */
  readonly profileDir: string | null;
}

/**
 * Starts a service as a separate process, so the load generator never shares its event loop: normally through
 * `tools/scripts/ts-run.mjs` (exactly as `npm start` runs apps); with a profile directory, with the same
 * flags plus `--cpu-prof` (written when SIGTERM ends the app: it exits through its shutdown hooks). It runs in
 * its own process group, so stop() ends the launcher and the app together.
 */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1' };
  let args: string[];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    args = [
      '--max-semi-space-size=32',
      '--cpu-prof',
      `--cpu-prof-dir=${options.profileDir}`,
      '--enable-source-maps',
      '-r',
      '@swc-node/register',
      path.join(workspaceRoot, options.entry),
    ];
    env['SWC_NODE_PROJECT'] = path.join(workspaceRoot, 'tsconfig.base.json');
  } else {
    args = [path.join(workspaceRoot, 'tools/scripts/ts-run.mjs'), options.entry];
  }
  const child = spawn(process.execPath, args, { cwd: workspaceRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const server: ServerProcess = {
    baseUrl,
    appPid: () => {
      if (child.pid === undefined || exited) return [];
      // With ts-run the app is the launcher's child; with --prof it is the child itself.
      return options.profileDir ? [child.pid] : [child.pid, ...childrenOf(child.pid)];
    },
    output: () => output,
    stop: () => stopProcessGroup(child, exit, () => exited !== null),
  };
  try {
    await waitForHealth(baseUrl, () => exited, () => output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitForHealth(baseUrl: string, exited: () => unknown, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = '';
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`the service exited before it was healthy:\n${output().trim().split('\n').slice(-20).join('\n')}`);
    try {
      const { status } = await getJson(`${baseUrl}/health`);
      if (status === 200) return;
      last = `GET /health answered ${status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`the service was not healthy within 90 s (${last})`);
}

async function stopProcessGroup(child: ChildProcess, exit: Promise<void>, hasExited: () => boolean): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || hasExited()) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timedOut = await Promise.race([exit.then(() => false), sleep(15_000).then(() => true)]);
  if (timedOut) {
    signalGroup('SIGKILL');
    await exit;
  }
}
