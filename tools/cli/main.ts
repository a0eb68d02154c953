/**
 * Chip Ledger's command line: `npm run cli -- <command> [options]`.
 *
 *   token --role <operator|viewer|auditor|admin> --org <organisationId> [--sub <id>] [--ttl <seconds>]
 *       Mint a bearer token signed with JWT_SECRET (or the development secret the embedded app uses).
 *   rebuild <projection> [--url http://127.0.0.1:3000]
 *       Rebuild a projection blue/green through the running service's admin API, with a progress bar.
 */
import { parseArgs } from 'node:util';
import { loadConfig, mintAccessToken, ROLES } from '@chip-ledger/http';
import type { Role } from '@chip-ledger/domain';

const USAGE = [
  `usage: npm run cli -- token --role <${ROLES.join('|')}> --org <organisationId> [--sub <id>] [--ttl <seconds>]`,
  '       npm run cli -- rebuild <chip-mix|findings|licence-balances|rentals> [--url http://127.0.0.1:3000]',
].join('\n');

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

interface Progress {
  readonly generation: number;
  readonly state: 'building' | 'active' | 'retired';
  readonly done: number;
  readonly total: number;
  readonly rate: number;
  readonly etaSeconds: number | null;
}

async function rebuild(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { url: { type: 'string' } }, allowPositionals: true, strict: true });
  const name = positionals[0];
  if (!name) {
    console.error(USAGE);
    return 2;
  }
  const base = (values.url ?? `http://127.0.0.1:${process.env['PORT'] ?? 3000}`).replace(/\/$/, '');
  const config = loadConfig(process.env);
  const headers = { authorization: `Bearer ${mintAccessToken({ sub: 'cli', org: 'chip-ledger', role: 'admin' }, config.jwtSecret, 3600)}` };
  const path = `${base}/admin/projections/${encodeURIComponent(name)}/rebuild`;
  const started = await fetch(path, { method: 'POST', headers });
  if (started.status !== 202) {
    console.error(`rebuild refused (${started.status}): ${await started.text()}`);
    return 1;
  }
  let progress = (await started.json()) as Progress;
  const generation = progress.generation;
  const tty = process.stdout.isTTY;
  for (;;) {
    const line = bar(name, progress);
    if (tty) process.stdout.write(`\r${line}`);
    else console.log(line);
    if (progress.state !== 'building') break;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const res = await fetch(`${path}`, { headers });
    if (!res.ok) {
      console.error(`\nprogress unavailable (${res.status}): ${await res.text()}`);
      return 1;
    }
    progress = (await res.json()) as Progress;
    if (progress.generation !== generation) break;
  }
  if (tty) process.stdout.write('\n');
  console.log(`${name}: generation ${generation} is ${progress.state}`);
  return progress.state === 'active' ? 0 : 1;
}

/** `findings [██████████░░░░░░░░░░]  52% 52,000/100,000 · 8,400 ev/s · ETA 6 s` */
function bar(name: string, p: Progress): string {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : p.state === 'building' ? 0 : 1;
  const width = 30;
  const filled = Math.round(fraction * width);
  const eta = p.etaSeconds === null ? '' : ` · ETA ${Math.ceil(p.etaSeconds)} s`;
  return `${name} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')} · ${Math.round(p.rate).toLocaleString('en')} ev/s${eta}`;
}

const commands: Record<string, (args: string[]) => number | Promise<number>> = { token, rebuild };

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
