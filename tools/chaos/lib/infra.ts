import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaCli, kafkaCliFailure } from '@chip-ledger/kafka-launcher';

/** A Kafka of the suite's own: one node or a KRaft cluster, started by tools/kafka on ports nobody else uses. */
export interface ChaosKafka {
  readonly brokers: string[];
  readonly nodes: number;
  /** SIGKILL one node (1-based): a crash, its data kept. */
  kill(node: number): Promise<void>;
  /** Start it again on its data; resolves once it serves. */
  resume(node: number): Promise<void>;
  /** The node leading most partitions of `topic` (the one whose loss moves the most leaders). */
  busiestLeader(topic: string): Promise<number>;
  /** Stops it and deletes its data, keeping each node's log in `keepLogsIn` when given. */
  destroy(keepLogsIn?: string): Promise<void>;
}

export async function startKafka(options: { nodes: number; basePort: number }): Promise<ChaosKafka> {
  const homeDir = await mkdtemp(path.join(tmpdir(), 'chipledger-chaos-kafka-'));
  const port = await freeRange(options.basePort, options.nodes * 2);
  const env = {
    ...process.env,
    KAFKA_NODES: String(options.nodes),
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(port + options.nodes),
    KAFKA_HOME_DIR: homeDir,
  };
  const cli = async (...args: string[]) => {
    try {
      await kafkaCli(args, { env, timeoutMs: 300_000 });
    } catch (error) {
      throw new Error(`tools/kafka ${args.join(' ')} failed: ${kafkaCliFailure(error)}`);
    }
  };
  await cli('start');
  const brokers = Array.from({ length: options.nodes }, (_, i) => `127.0.0.1:${port + i}`);
  return {
    brokers,
    nodes: options.nodes,
    kill: (node) => cli('kill', String(node)),
    resume: (node) => cli('resume', String(node)),
    busiestLeader: async (topic) => {
      const admin = new Kafka({ clientId: 'chaos-admin', brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        const counts = new Map<number, number>();
        for (const p of topics[0]?.partitions ?? []) counts.set(p.leader, (counts.get(p.leader) ?? 0) + 1);
        return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 1;
      } finally {
        await admin.disconnect();
      }
    },
    destroy: async (keepLogsIn?: string) => {
      await cli('stop').catch(() => undefined);
      if (keepLogsIn) {
        for (let node = 1; node <= options.nodes; node++) {
          const log = path.join(homeDir, options.nodes === 1 ? '' : `node-${node}`, 'kafka.log');
          await copyFile(log, path.join(keepLogsIn, `kafka-node-${node}.log`)).catch(() => undefined);
        }
      }
      await rm(homeDir, { recursive: true, force: true });
    },
  };
}

/**
 * The first port from `base` (stepping by 10) where `count` consecutive ports can be bound. Keep `base` below the
 * kernel's ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`, usually from 32768): there, any outgoing
 * connection may hold a port for a while, and a broker that cannot bind its listener dies at start.
 */
async function freeRange(base: number, count: number): Promise<number> {
  for (let start = base; start < base + 2_000; start += 10) {
    const free = await Promise.all(Array.from({ length: count }, (_, i) => canBind(start + i)));
    if (free.every(Boolean)) return start;
  }
  throw new Error(`no ${count} free ports from ${base}`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
