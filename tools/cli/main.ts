/**
 * Chip Ledger's command line: `npm run cli -- <command> [options]`.
 *
 *   token --role <operator|viewer|auditor|admin> --org <organisationId> [--sub <id>] [--ttl <seconds>]
 *       Mint a bearer token signed with JWT_SECRET (or the development secret the embedded app uses).
 */
import { parseArgs } from 'node:util';
import { loadConfig, mintAccessToken, ROLES } from '@chip-ledger/http';
import type { Role } from '@chip-ledger/domain';

const USAGE = `usage: npm run cli -- token --role <${ROLES.join('|')}> --org <organisationId> [--sub <id>] [--ttl <seconds>]`;

function token(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string' }, org: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' } },
    strict: true,
  });
  if (!values.role || !ROLES.includes(values.role as Role) || !values.org) {
    console.error(USAGE);
    return 2;
  }
  const ttl = values.ttl ? Number(values.ttl) : 12 * 3600;
  if (!Number.isInteger(ttl) || ttl <= 0) {
    console.error('--ttl must be a positive number of seconds');
    return 2;
  }
  const config = loadConfig(process.env);
  const sub = values.sub ?? `${values.role}@${values.org}`;
  console.log(mintAccessToken({ sub, org: values.org, role: values.role as Role }, config.jwtSecret, ttl));
  if (config.jwtSecretIsDevelopmentDefault) console.error('(signed with the development secret: set JWT_SECRET to match a deployed service)');
  return 0;
}

const commands: Record<string, (args: string[]) => number | Promise<number>> = { token };

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(`${USAGE}\ncommands: ${Object.keys(commands).join(', ')}`);
    return 2;
  }
  try {
    return await command(args);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
