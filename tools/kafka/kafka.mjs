#!/usr/bin/env node
// Local Kafka for development and tests: one broker, or a KRaft cluster of KAFKA_NODES nodes (see
// lifecycle.mjs and docs/decisions/0002-kafka-version.md, 0010-faults.md).
//
//   node tools/kafka/kafka.mjs start        start (fetching jars on first use) unless already running
//   node tools/kafka/kafka.mjs status       exit 0 if running (every node), 1 if not
//   node tools/kafka/kafka.mjs stop         SIGTERM, SIGKILL after 30 s
//   node tools/kafka/kafka.mjs kill <n>     SIGKILL node n (1-based), keeping its data: a crash
//   node tools/kafka/kafka.mjs resume <n>   start node n again on its data
//
// Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093; with several nodes, after the broker ports),
// KAFKA_HOME_DIR (tools/kafka/.data), KAFKA_NODES (1).

import { KafkaToolError, kafkaStatus, killKafkaNode, resumeKafkaNode, startKafka, stopKafka } from './lifecycle.mjs';

const USAGE = 'Usage: node tools/kafka/kafka.mjs <start|status|stop|kill <node>|resume <node>>';

async function status() {
  const { running, nodes, version, brokers } = await kafkaStatus();
  const pids = nodes.map((n) => n.pid ?? '-').join(', ');
  if (running) {
    console.log(`Kafka running (pid ${pids}, version ${version}) on ${brokers}`);
    return 0;
  }
  const alive = nodes.filter((n) => n.pid !== null);
  console.log(`Kafka not running (${brokers})${alive.length ? `; ${alive.map((n) => `node ${n.id} (pid ${n.pid}) ${n.serving ? 'serving' : 'not serving'}`).join(', ')}` : ''}`);
  return 1;
}

const commands = {
  start: async () => (await startKafka(), 0),
  stop: async () => (await stopKafka(), 0),
  status,
  kill: async (node) => (await killKafkaNode(node ?? 1), 0),
  resume: async (node) => (await resumeKafkaNode(node ?? 1), 0),
};

async function main(argv) {
  if (argv[0] === '--help' || argv[0] === 'help') {
    console.log(USAGE);
    return 0;
  }
  const command = commands[argv[0]];
  if (!command) {
    console.error(USAGE);
    return 64;
  }
  try {
    return await command(argv[1]);
  } catch (err) {
    // Expected failures carry their own exit code and a readable message; anything else is a bug.
    if (err instanceof KafkaToolError) {
      console.error(err.message);
      return err.exitCode;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
