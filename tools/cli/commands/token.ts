import { InvalidArgumentError, Option, type Command } from 'commander';
import { ROLES, type Role } from '@chip-ledger/domain';
import { positiveInt } from '../lib/arguments';

interface TokenOptions {
  role: Role;
  org: string;
  sub?: string;
  ttl: number;
}

const ORGANISATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export function registerToken(program: Command): void {
  program
    .command('token')
    .description('Mint a bearer token signed with JWT_SECRET (or the development secret the embedded app uses)')
    .addOption(new Option('--role <role>', 'the role').choices(ROLES as string[]).makeOptionMandatory())
    .requiredOption('--org <organisationId>', 'the organisation', (value: string) => {
      if (!ORGANISATION_ID.test(value)) throw new InvalidArgumentError('must be an organisation id (letters, digits, . _ : -)');
      return value;
    })
    .option('--sub <id>', 'the subject (default <role>@<org>)')
    .option('--ttl <seconds>', 'lifetime in seconds', positiveInt, 12 * 3600)
    .action(async (options: TokenOptions) => {
      // Loaded when used: the HTTP library brings Nest, seconds of start-up that `--help` need not pay.
      const { loadConfig, mintAccessToken } = await import('@chip-ledger/http');
      const config = loadConfig(process.env);
      console.log(mintAccessToken({ sub: options.sub ?? `${options.role}@${options.org}`, org: options.org, role: options.role }, config.jwtSecret, options.ttl));
      if (config.jwtSecretIsDevelopmentDefault) console.error('(signed with the development secret: set JWT_SECRET to match a deployed service)');
    });
}
