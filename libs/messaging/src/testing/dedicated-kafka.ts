import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const workspaceRoot = path.resolve(__dirname, '../../../..');
const kafkaTool = path.join(workspaceRoot, 'tools/kafka');

/** A broker of this test's own (other ports, other data directory), which it may stop and start at will. */
export interface DedicatedKafka {
  readonly brokers: string[];
  /** Clean shutdown (SIGTERM through tools/kafka); the data stays on disk. */
  stop(): Promise<void>;
  /** Starts the same node again on its existing data: topics, offsets and producer state survive. */
  restart(): Promise<void>;
  /** Stops it if running and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * Starts a second single-node broker with tools/kafka (KAFKA_PORT / KAFKA_CONTROLLER_PORT / KAFKA_HOME_DIR).
 * `tools/kafka` always formats a fresh node on start, so `restart` launches the broker itself with the
 * configuration tools/kafka wrote, like a real broker coming back after an outage with its log intact.
 */
export async function startDedicatedKafka(): Promise<DedicatedKafka> {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const homeDir = await mkdtemp(path.join(tmpdir(), 'chipledger-kafka-outage-'));
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_HOME_DIR: homeDir };
  const cli = (command: string) => run(process.execPath, [path.join(kafkaTool, 'kafka.mjs'), command], { cwd: workspaceRoot, env, timeout: 120_000 });
  await cli('start');

  return {
    brokers: [`127.0.0.1:${port}`],
    stop: async () => void (await cli('stop')),
    restart: async () => {
      // The same command line as tools/kafka/lifecycle.mjs, minus the wipe and format.
      const log = openSync(path.join(homeDir, 'kafka.log'), 'a');
      const child = spawn(
        'java',
        [
          '-Dlog4j2.shutdownHookEnabled=false',
          '-Xms256m',
          '-Xmx512m',
          '-XX:+UseG1GC',
          '-XX:+ExitOnOutOfMemoryError',
          '-Djava.awt.headless=true',
          `-Dlog4j2.configurationFile=${path.join(homeDir, 'log4j2.yaml')}`,
          '-cp',
          path.join(kafkaTool, '.jars', '*'),
          'kafka.Kafka',
          path.join(homeDir, 'server.properties'),
        ],
        { detached: true, stdio: ['ignore', log, log] },
      );
      child.unref();
      closeSync(log);
      // tools/kafka's stop finds the broker through this file.
      writeFileSync(path.join(homeDir, 'kafka.pid'), `${child.pid}\n`);
      const deadline = Date.now() + 60_000;
      while (!(await isPortOpen(port))) {
        if (Date.now() > deadline) throw new Error(`Kafka did not come back on ${port} within 60 s (log: ${homeDir}/kafka.log)`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    destroy: async () => {
      await cli('stop').catch(() => undefined);
      await rm(homeDir, { recursive: true, force: true });
    },
  };
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
