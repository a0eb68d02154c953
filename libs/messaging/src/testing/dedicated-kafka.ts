import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kafkaCli } from '@chip-ledger/kafka-launcher';

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
 * `tools/kafka` formats a fresh node on start, so `restart` resumes the node on its data instead (`resume 1`: no
 * wipe, no format), like a real broker coming back after an outage with its log intact.
 */
export async function startDedicatedKafka(): Promise<DedicatedKafka> {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const homeDir = await mkdtemp(path.join(tmpdir(), 'chipledger-kafka-outage-'));
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_HOME_DIR: homeDir };
  const cli = async (...args: string[]) => void (await kafkaCli(args, { env }));
  await cli('start');

  return {
    brokers: [`127.0.0.1:${port}`],
    stop: () => cli('stop'),
    restart: () => cli('resume', '1'),
    destroy: async () => {
      await cli('stop').catch(() => undefined);
      await rm(homeDir, { recursive: true, force: true });
    },
  };
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
