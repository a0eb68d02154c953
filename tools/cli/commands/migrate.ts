import type { Command } from 'commander';
import type * as MigrateRun from './migrate-run';
import type { MigrateOptions } from './migrate-run';

/**
 * The command's work, loaded when it runs: `--help` and the other commands need not pay for what it imports (seconds of
 * start-up under ts-run). `require`, not `import()`: a dynamic import of a relative path would be an ES module import.
 */
const work = (): typeof MigrateRun => require('./migrate-run') as typeof MigrateRun;

export function registerMigrate(program: Command): void {
  const migrate = program
    .command('migrate')
    .description("The database's schemas (every event store, the projection registry, every live read-model generation): status, or run what is pending");
  const common = (command: Command): Command =>
    command.option('--database-url <url>', 'the database (default DATABASE_URL)').option('--json', 'machine-readable output').exitOverride();
  // The work is loaded when it runs: `--help` and the other commands need not pay for the event store, the engine and
  // every read model.
  common(migrate.command('status').description('Which migrations each schema has applied and which are pending (changes nothing)')).action(async (options: MigrateOptions) => {
    await work().migrateStatus(options);
  });
  common(migrate.command('run').description('Apply every pending migration (what each service does at start-up), then show the status')).action(async (options: MigrateOptions) => {
    await work().migrateRun(options);
  });
}
