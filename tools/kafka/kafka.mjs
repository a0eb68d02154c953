#!/usr/bin/env node
// Local single-node Kafka broker for development and tests (see lifecycle.mjs and
// docs/decisions/0002-kafka-version.md).
//
//   node tools/kafka/kafka.mjs start    start (fetching jars on first use) unless already running
//   node tools/kafka/kafka.mjs status   exit 0 if running, 1 if not
//   node tools/kafka/kafka.mjs stop     SIGTERM, SIGKILL after 30 s
//
// Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HOME_DIR (tools/kafka/.data).

import { KafkaToolError, kafkaStatus, startKafka, stopKafka } from './lifecycle.mjs';

const USAGE = 'Usage: node tools/kafka/kafka.mjs <start|status|stop>';

async function status() {
  const { running, pid, version, brokers } = await kafkaStatus();
  if (running) {
    console.log(`Kafka running (pid ${pid}, version ${version}) on ${brokers}`);
    return 0;
  }
  console.log(`Kafka not running (${brokers})${pid ? `; pid ${pid} is alive but not serving` : ''}`);
  return 1;
}

const commands = {
  start: async () => (await startKafka(), 0),
  stop: async () => (await stopKafka(), 0),
  status,
};

async function main(argv) {
  const command = commands[argv[0]];
  if (!command) {
    console.error(USAGE);
    return 64;
  }
  try {
    return await command();
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
