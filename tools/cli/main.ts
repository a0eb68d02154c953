/**
 * Chip Ledger's command line: `npm run cli -- <command> [options]` (`--help` on any command).
 *
 *   token       mint a bearer token (JWT_SECRET or the development secret)
 *   rebuild     rebuild a projection blue/green, with a progress bar
 *   history     a history in the ledger's order (data center, stream, organisation, licence, or everything)
 *   as-of       a data center or the fleet as the world was at T, as the ledger knew it at K
 *   late-facts  facts recorded late, with the findings they changed
 *   replay      fold the whole history (HTTP API or Kafka), with a progress bar and a summary
 *   migrate     the database's schemas: `migrate status`, `migrate run` (DATABASE_URL or --database-url)
 *
 * Exit codes: 0 done, 1 the service refused or failed (its problem's detail is printed), 2 a bad command line.
 */
import { Command, CommanderError, Option } from 'commander';
import { registerAsOf } from './commands/as-of';
import { registerHistory } from './commands/history';
import { registerLateFacts } from './commands/late-facts';
import { registerMigrate } from './commands/migrate';
import { registerRebuild } from './commands/rebuild';
import { registerReplay } from './commands/replay';
import { registerToken } from './commands/token';
import { ServerError, UsageError } from './lib/errors';

/** Every command that talks to the service takes these. */
const serviceOptions = (command: Command): Command =>
  command
    .addOption(new Option('--url <url>', 'the service (default http://127.0.0.1:3000, or CHIP_LEDGER_URL)'))
    .addOption(new Option('--token <token>', 'bearer token (default CHIP_LEDGER_TOKEN, else a development token)'))
    .addOption(new Option('--json', 'machine-readable output'));

export function buildProgram(): Command {
  const program = new Command('chip-ledger')
    .description("Chip Ledger's command line: tokens, rebuilds, database migrations, and the auditors' history, as-of, late facts and replay")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.trim().split('\n')[0] + '\n') })
    .showSuggestionAfterError(true);
  registerToken(program);
  for (const register of [registerRebuild, registerHistory, registerAsOf, registerLateFacts, registerReplay]) register(program);
  for (const command of program.commands) {
    command.exitOverride();
    if (command.name() !== 'token') serviceOptions(command);
  }
  // Talks to the database, not to a service.
  registerMigrate(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are answers, not errors.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version' ? 0 : 2;
    }
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    if (error instanceof ServerError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    console.error(`error: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
