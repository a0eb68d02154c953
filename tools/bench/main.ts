/**
 * `npm run bench [-- --quick] [--profile] [--concurrency N] [--data-centers N] [--duration S] [--replay-events N] [--replay-timeout S] [--only PHASE]`
 *
 * Throughput and latency of the command API over HTTP, the outbox relay's lag, and two ceilings measured
 * on the same machine, PostgreSQL and Kafka. Starts what is missing exactly like `npm test` (embedded
 * PostgreSQL unless DATABASE_URL, the tools/kafka broker unless KAFKA_BROKERS) and stops only what it
 * started. Prints readable lines; the LAST line is one JSON object with every figure, for comparing runs.
 * Why it is built this way: docs/decisions/0008-benchmarks.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { kafkaCli } from '@chip-ledger/kafka-launcher';
import { describeInfrastructure, startTestInfrastructure } from '@chip-ledger/testing';
import { Client } from 'pg';
import { BAR, round, type BenchFigures, type RunFigures } from './figures';
import { commandApiPhase } from './phases/command-api';
import type { BenchContext, BenchPhase, BenchSettings } from './phases/context';
import { freshnessPhase } from './phases/freshness';
import { kafkaProduceCeilingPhase } from './phases/kafka-produce-ceiling';
import { pgInsertCeilingPhase } from './phases/pg-insert-ceiling';
import { projectorPhase } from './phases/projector';
import { AS_OF_BAR_MS, asOfPhase } from './phases/as-of';
import { cliReplayPhase } from './phases/cli-replay';

/**
 * In order: the command API first (the machine is freshest), the live freshness of the read models, then the
 * ceilings with the services stopped, then the projector (its ceiling inside).
 */
const phasesFor = (projector: { events: number; timeoutSec: number }): readonly BenchPhase[] => [
  commandApiPhase,
  freshnessPhase,
  pgInsertCeilingPhase,
  kafkaProduceCeilingPhase,
  asOfPhase,
  projectorPhase(projector),
  cliReplayPhase({ events: projector.events }),
];

/** `--only`: one phase by a word of its name (`projector`, `command`, `pg`, `kafka`, `as-of`, `cli`), for iterating on it; the verdict then judges only its figures. */
const selectPhases = (phases: readonly BenchPhase[], only: string | null): readonly BenchPhase[] => {
  if (only === null) return phases;
  const picked = phases.filter((p) => p.name.toLowerCase().includes(only.toLowerCase()));
  if (picked.length === 0) throw new Error(`--only ${only}: no phase matches (${phases.map((p) => p.name).join('; ')})`);
  return picked;
};

type Cleanup = () => Promise<void>;
const cleanupStacks: Cleanup[][] = [];

async function runCleanups(stack: Cleanup[]): Promise<void> {
  for (let cleanup = stack.pop(); cleanup; cleanup = stack.pop()) {
    await cleanup().catch((error: unknown) => console.error(`[bench] cleanup failed: ${(error as Error).message}`));
  }
}

async function runAllCleanups(): Promise<void> {
  for (let stack = cleanupStacks.pop(); stack; stack = cleanupStacks.pop()) await runCleanups(stack);
}

function parseSettings(): { quick: boolean; settings: BenchSettings; runTag: string; projector: { events: number; timeoutSec: number }; only: string | null } {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'data-centers': { type: 'string' },
      duration: { type: 'string' },
      'replay-events': { type: 'string' },
      'replay-timeout': { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const quick = values.quick ?? false;
  const int = (value: string | undefined, fallback: number, name: string) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
    return n;
  };
  const runTag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  return {
    quick,
    runTag,
    only: values.only ?? null,
    // The projector replays 1,000,000 events in a full run (the issue's figure); --quick fewer, and says how many.
    projector: { events: int(values['replay-events'], quick ? 20_000 : 1_000_000, 'replay-events'), timeoutSec: int(values['replay-timeout'], quick ? 60 : 1_200, 'replay-timeout') },
    settings: {
      concurrency: int(values.concurrency, 32, 'concurrency'),
      dataCenters: int(values['data-centers'], 64, 'data-centers'),
      warmupSec: quick ? 2 : 5,
      measureSec: int(values.duration, quick ? 5 : 20, 'duration'),
      ceilingSec: quick ? 2 : 5,
      profileDir: values.profile ? path.join(os.tmpdir(), `chipledger-bench-${runTag}`) : null,
    },
  };
}

async function postgresFacts(url: string): Promise<{ version: string; postmasterPid: number | null }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string; pid: number }>('SELECT current_setting($1) AS version, pg_backend_pid() AS pid', ['server_version']);
    let postmasterPid: number | null = null;
    try {
      const { readFileSync } = await import('node:fs');
      const stat = readFileSync(`/proc/${rows[0].pid}/stat`, 'utf8');
      postmasterPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      // PostgreSQL on another machine or no /proc: no CPU accounting for it
    }
    return { version: rows[0].version, postmasterPid };
  } finally {
    await client.end();
  }
}

/**
 * The Kafka broker's pid (for CPU accounting): the tools/kafka broker when the bench started or reused it;
 * with KAFKA_BROKERS, a broker JVM on this machine whose server.properties listens on the first broker's
 * port (else null: a remote broker's CPU is not this machine's).
 */
async function kafkaPid(brokers: string | undefined): Promise<number | null> {
  if (brokers) return localBrokerPid(Number(brokers.split(',')[0].split(':').pop()));
  try {
    const { stdout } = await kafkaCli(['status'], { timeoutMs: 30_000 });
    const pid = /pid (\d+)/.exec(stdout)?.[1];
    return pid ? Number(pid) : null;
  } catch {
    return null;
  }
}

function localBrokerPid(port: number): number | null {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const main = args.indexOf('kafka.Kafka');
      if (main < 0 || !args[main + 1]) continue;
      if (new RegExp(`^listeners=.*:${port}\\b`, 'm').test(readFileSync(args[main + 1], 'utf8'))) return Number(entry);
    } catch {
      // The process ended, or its files are not readable: not the broker we look for.
    }
  }
  return null;
}

function verdict(figures: BenchFigures): string {
  const checks = [
    `${round(figures.commandsPerSec ?? 0)} commands/s ${(figures.commandsPerSec ?? 0) >= BAR.commandsPerSec ? '≥' : '<'} ${BAR.commandsPerSec}`,
    `p99 ${round(figures.p99Ms ?? Infinity)} ms ${(figures.p99Ms ?? Infinity) < BAR.p99Ms ? '<' : '≥'} ${BAR.p99Ms} ms`,
    `relay lag p99 ${round(figures.relayLagMs ?? Infinity)} ms ${(figures.relayLagMs ?? Infinity) < BAR.relayLagMs ? '<' : '≥'} ${BAR.relayLagMs} ms`,
    `projector ${round(figures.projectorEventsPerSec ?? 0)} events/s ${(figures.projectorEventsPerSec ?? 0) >= BAR.projectorEventsPerSec ? '≥' : '<'} ${BAR.projectorEventsPerSec}`,
    `replay of ${(figures.replayEvents ?? 0).toLocaleString('en-US')} events ${typeof figures.replay1MSeconds === 'number' ? `${round(figures.replay1MSeconds)} s` : 'not done'} ${replayMet(figures) ? '<' : '≥'} ${round(replayBarSeconds(figures))} s` +
      (figures.replayEvents === 1_000_000 ? '' : ` (${BAR.replay1MSeconds} s per 1,000,000, pro rata)`),
  ];
  const asOf = asOfP99(figures);
  if (asOf !== null) checks.push(`as-of p99 ${round(asOf)} ms ${asOf < AS_OF_BAR_MS ? '<' : '≥'} ${AS_OF_BAR_MS} ms`);
  return `${barMet(figures) ? 'MET' : 'NOT MET'} (${checks.join(', ')})`;
}

/** Replay: under 2 minutes for 1,000,000 events (a --quick run with fewer events is judged at the same rate). */
function replayMet(figures: BenchFigures): boolean {
  const seconds = figures.replay1MSeconds;
  return typeof seconds === 'number' && (figures.replayEvents ?? 0) > 0 && seconds < replayBarSeconds(figures);
}

const replayBarSeconds = (figures: BenchFigures): number => (BAR.replay1MSeconds * (figures.replayEvents ?? 0)) / 1_000_000;

/** The as-of phase's p99 (ms), or null when it did not run. */
const asOfP99 = (figures: BenchFigures): number | null => {
  const asOf = figures['asOfMs10k'];
  return typeof asOf === 'object' && asOf !== null && typeof asOf['p99'] === 'number' ? asOf['p99'] : null;
};

function barMet(figures: BenchFigures): boolean {
  const asOf = asOfP99(figures);
  return (
    (asOf === null || asOf < AS_OF_BAR_MS) &&
    (figures.commandsPerSec ?? 0) >= BAR.commandsPerSec &&
    (figures.p99Ms ?? Infinity) < BAR.p99Ms &&
    (figures.relayLagMs ?? Infinity) < BAR.relayLagMs &&
    (figures.projectorEventsPerSec ?? 0) >= BAR.projectorEventsPerSec &&
    replayMet(figures)
  );
}

function toJson(figures: RunFigures): string {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(figures)) {
    if (value === undefined) continue;
    if (typeof value === 'number') out[key] = Number.isFinite(value) ? round(value) : null;
    else out[key] = value;
  }
  return JSON.stringify(out);
}

async function main(): Promise<number> {
  const { quick, settings, runTag, projector, only } = parseSettings();
  const log = (line: string) => console.log(line ? `[bench] ${line}` : '');
  const figures: RunFigures = { quick, durationSec: settings.measureSec };
  const global: Cleanup[] = [];
  cleanupStacks.push(global);
  const started = Date.now();
  let failure: Error | null = null;
  try {
    const infra = await startTestInfrastructure({ kafka: true });
    global.push(() => infra.stop());
    const pg = await postgresFacts(infra.postgres.url);
    const cpus = os.cpus();
    log(`infrastructure ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${describeInfrastructure(infra)}`);
    log(
      `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ` +
        `node ${process.version}; PostgreSQL ${pg.version}; Kafka ${infra.kafka?.version ?? 'unknown (KAFKA_BROKERS)'}`,
    );
    log(`run ${runTag}: ${quick ? 'quick' : 'full'}, concurrency ${settings.concurrency}, ${settings.dataCenters} data centers`);
    Object.assign(figures, { cores: cpus.length, node: process.version, postgres: pg.version, kafka: infra.kafka?.version ?? null, loadAvgAtStart: round(os.loadavg()[0]) });

    const context: Omit<BenchContext, 'onCleanup'> = {
      quick,
      cores: cpus.length,
      runTag,
      adminDatabaseUrl: infra.postgres.url,
      kafkaBrokers: infra.kafka?.brokers ?? [],
      settings,
      log,
      processes: { postgres: pg.postmasterPid, kafka: await kafkaPid(process.env['KAFKA_BROKERS']) },
    };
    for (const phase of selectPhases(phasesFor(projector), only)) {
      const stack: Cleanup[] = [];
      cleanupStacks.push(stack);
      const phaseStarted = Date.now();
      log('');
      log(`— ${phase.name}`);
      try {
        Object.assign(figures, await phase.run({ ...context, onCleanup: (cleanup) => void stack.push(cleanup) }));
      } finally {
        await runCleanups(stack);
        cleanupStacks.splice(cleanupStacks.indexOf(stack) >>> 0, 1);
      }
      log(`  (${((Date.now() - phaseStarted) / 1000).toFixed(1)} s)`);
    }
    if (settings.profileDir) {
      log('');
      log(`server CPU profile (.cpuprofile: open in Chrome DevTools or speedscope): ${settings.profileDir}`);
    }
  } catch (error) {
    failure = error as Error;
    console.error(`[bench] FAILED: ${failure.stack ?? failure.message}`);
  } finally {
    await runAllCleanups();
  }
  figures['loadAvgAtEnd'] = round(os.loadavg()[0]);
  figures['totalSec'] = round((Date.now() - started) / 1000);
  if (failure) {
    figures['error'] = failure.message.split('\n')[0];
  } else {
    figures['bar'] = barMet(figures);
    log('');
    log(`first bar: ${verdict(figures)}`);
    log(`whole run: ${((Date.now() - started) / 1000).toFixed(1)} s; ${settings.measureSec} s measured; the machine is shared, so compare runs from the same conditions`);
  }
  console.log(toJson(figures));
  return failure ? 1 : 0;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`[bench] ${signal}: stopping what the run started`);
    void (async () => {
      await runAllCleanups();
      process.exit(130);
    })();
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[bench] ${(error as Error).message}`);
    process.exit(1);
  },
);
