import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/*
 * The local broker's launcher as a library: code that starts, stops or crashes a tools/kafka broker (the test
 * harness, the messaging library's outage test, the chaos suite, the bench) asks here instead of working out where
 * kafka.mjs lies relative to itself. The command line stays what people run: `npm run kafka:start`,
 * `node tools/kafka/kafka.mjs <start|status|stop|kill <n>|resume <n>>`.
 */

/** The launcher's command line script, next to this library. */
export const KAFKA_CLI = path.resolve(__dirname, '..', 'kafka.mjs');

export interface KafkaCliOptions {
  /**
   * The launcher's settings (KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_HOME_DIR, KAFKA_NODES) on top of this
   * process's environment; without them, the default broker (127.0.0.1:9092, data in tools/kafka/.data).
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Starting fetches the jars on first use and formats the node: minutes, not seconds, on a cold machine. */
  readonly timeoutMs?: number;
}

const run = promisify(execFile);

/**
 * Runs `kafka.mjs <args>` and resolves with what it printed. A failure rejects with the child's error, whose
 * `stdout` and `stderr` carry the launcher's own message (a missing Java or Maven, a port in use).
 */
export async function kafkaCli(args: readonly string[], options: KafkaCliOptions = {}): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [KAFKA_CLI, ...args], {
    env: options.env ?? process.env,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** The launcher's message from a failed `kafkaCli` run (its stderr, else its stdout, else the error's message). */
export function kafkaCliFailure(error: unknown): string {
  const e = error as { stdout?: string; stderr?: string; message?: string };
  return (e.stderr || e.stdout || e.message || String(error)).trim();
}
