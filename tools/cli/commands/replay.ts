import type { Command } from 'commander';
import { instant } from '../lib/arguments';
import type * as ReplayRun from './replay-run';
import type { ReplayOptions } from './replay-run';

/**
 * The command's work, loaded when it runs: `--help` and the other commands need not pay for what it imports (seconds of
 * start-up under ts-run). `require`, not `import()`: a dynamic import of a relative path would be an ES module import.
 */
const work = (): typeof ReplayRun => require('./replay-run') as typeof ReplayRun;

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('Reads the whole history in the ledger order and folds it with the compliance library; exit 0 only if every event could be folded')
    .option('--to <instant>', 'replay what the ledger had recorded by this instant (findings judged then)', instant)
    .option('--kafka <brokers>', 'read the Kafka topics (distributed form) instead of the HTTP API, e.g. 127.0.0.1:9092')
    .option('--topic-prefix <prefix>', 'the topics’ namespace (KAFKA_TOPIC_PREFIX)', process.env['KAFKA_TOPIC_PREFIX'] ?? 'chipledger')
    .action(async (options: ReplayOptions) => {
      // Loaded when it runs: `--help` and the other commands need not pay for the compliance and auditors' libraries.
      await work().replay(options);
    });
}
