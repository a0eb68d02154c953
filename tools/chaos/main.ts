/**
 * `npm run chaos [-- --only broker-kill,pg-restart-fast] [--workers N] [--quick] [--kafka-port P]`
 *
 * Faults on a PostgreSQL cluster and Kafka broker(s) the suite starts itself (never the machine's shared ones),
 * under a write load of careful clients (an Idempotency-Key on every command, 5xx retried with the same key):
 * a broker SIGKILL, projection-service SIGKILLed twice while catching up, PostgreSQL restarted fast and immediate,
 * the `npm start` process tree SIGKILLed, and a broker of a 3-node cluster (replication 3, min.insync.replicas 2)
 * SIGKILLed. Each prints requests, acknowledged, lost, duplicates on Kafka (raw and distinct), 5xx by kind, recovery
 * times and whether the read models equal a rebuild; the suite fails on any acknowledged write lost, any read model
 * that differs, a dishonest 5xx, or a service that exited on its own. Why: docs/decisions/0010-faults.md.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { SCENARIOS, type ChaosFigures, type ChaosSettings } from './scenarios';

function settingsFrom(argv: string[]): { settings: ChaosSettings; only: string[] | null } {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      workers: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'kafka-port': { type: 'string' },
    },
    strict: true,
  });
  const quick = values.quick ?? false;
  const int = (value: string | undefined, fallback: number, name: string): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${value})`);
    return n;
  };
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : null;
  for (const name of only ?? []) if (!SCENARIOS.some((s) => s.name === name)) throw new Error(`--only ${name}: no such fault (${SCENARIOS.map((s) => s.name).join(', ')})`);
  return {
    only,
    settings: {
      workers: int(values.workers, 16, 'workers'),
      beforeSec: quick ? 4 : 8,
      afterSec: quick ? 6 : 12,
      outageSec: quick ? 6 : 10,
      backlogSec: quick ? 8 : 20,
      // Below the kernel's ephemeral ports (from 32768), where outgoing connections could hold one (infra.ts).
      kafkaBasePort: int(values['kafka-port'], 24_092, 'kafka-port'),
      log: (line) => console.log(line),
    },
  };
}

/** The reasons a run fails; none means it passed. */
function verdict(f: ChaosFigures): string[] {
  const failed: string[] = [];
  if (f.store.lost > 0) failed.push(`${f.store.lost} acknowledged command(s) lost (${f.store.lostKeys.join(', ')})`);
  if (f.kafka && f.kafka.missing > 0) failed.push(`${f.kafka.missing} stored event(s) never reached Kafka`);
  if (f.kafka && f.kafka.outOfOrderStreams > 0) failed.push(`${f.kafka.outOfOrderStreams} stream(s) out of order on Kafka`);
  // Findings are a function of the facts (ARCHITECTURE.md): their dating may not depend on how batches were cut either.
  for (const r of f.readModels.results) if (r.batchDated > 0) failed.push(`${r.projection}: ${r.batchDated} row(s) dated differently from a rebuild`);
  if (!f.readModels.equal) failed.push(`read models differ from a rebuild: ${f.readModels.results.filter((r) => !r.equal).map((r) => `${r.projection}: ${r.differences.join('; ')}`).join(' / ')}`);
  if (f.crashes.length > 0) failed.push(`service exits: ${f.crashes.join(' / ')}`);
  if (f.unhandled.length > 0) failed.push(`unhandled errors logged: ${f.unhandled.slice(0, 3).join(' / ')}`);
  if (f.load.dishonest.length > 0) failed.push(`dishonest answers: ${f.load.dishonest.slice(0, 3).join(' / ')}`);
  if (f.load.unresolved > 0) failed.push(`${f.load.unresolved} command(s) never answered within the drain`);
  return failed;
}

const seconds = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);

function print(f: ChaosFigures, failed: string[]): void {
  const five = Object.entries(f.load.failures)
    .map(([kind, n]) => `${n} × ${kind}`)
    .join(', ');
  const lines = [
    `  requests ${f.load.requests} (commands ${f.load.commands}), acknowledged ${f.load.acknowledged}, lost ${f.store.lost}, unresolved ${f.load.unresolved}`,
    `  5xx and transport errors by kind: ${five || 'none'}; of the commands answered so, ${f.store.committedBehind5xx} had in fact committed (their retry returned the original result)`,
    `  refused (4xx): ${Object.entries(f.load.refused).map(([k, n]) => `${n} × ${k}`).join(', ') || 'none'}; dishonest answers: ${f.load.dishonest.length}`,
    f.kafka
      ? `  Kafka: ${f.kafka.messages} event messages (and ${f.kafka.markers} watermark markers), ${f.kafka.distinct} distinct events; duplicated ${f.kafka.duplicateMessages} raw / ${f.kafka.duplicatedEvents} distinct; missing ${f.kafka.missing}; streams out of order ${f.kafka.outOfOrderStreams}`
      : '  Kafka: not in this form (the embedded form reads the PostgreSQL log)',
    `  longest time without a 201 around the fault: ${seconds(f.writeGapMs)}; recovery: ${Object.entries(f.recovery).map(([k, v]) => `${k} ${seconds(v)}`).join('; ')}`,
    `  /health said degraded: ${f.degraded.length ? f.degraded.join(' | ') : 'never'}`,
    `  read models equal to a rebuild: ${f.readModels.results.map((r) => `${r.projection} ${r.equal ? 'yes' : 'NO'} (${r.rows} rows${r.batchDated ? `; ${r.batchDated} dated by batch` : ''})`).join(', ')}`,
    `  services exited on their own: ${f.crashes.length}; unhandled errors logged: ${f.unhandled.length}`,
    ...f.notes.map((note) => `  note: ${note}`),
    failed.length ? `  FAILED: ${failed.join('; ')}` : '  passed',
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const { settings, only } = settingsFrom(process.argv.slice(2));
  const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.name));
  console.log(`Chip Ledger chaos suite: ${scenarios.length} fault(s), ${settings.workers} concurrent clients, ${os.cpus().length} cores (load ${os.loadavg()[0].toFixed(1)})`);
  const results: { name: string; figures: ChaosFigures | null; failed: string[] }[] = [];
  for (const scenario of scenarios) {
    console.log(`\n== ${scenario.name}: ${scenario.title}`);
    const started = Date.now();
    try {
      const f = await scenario.run(settings);
      const failed = verdict(f);
      print(f, failed);
      results.push({ name: scenario.name, figures: f, failed });
    } catch (error) {
      console.log(`  FAILED to run: ${(error as Error).stack ?? String(error)}`);
      results.push({ name: scenario.name, figures: null, failed: [`did not run to the end: ${(error as Error).message}`] });
    }
    console.log(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  console.log('\n== summary');
  for (const r of results) {
    const f = r.figures;
    console.log(
      `  ${r.failed.length ? 'FAIL' : 'pass'} ${r.name.padEnd(18)} ` +
        (f ? `requests ${f.load.requests}, acked ${f.load.acknowledged}, lost ${f.store.lost}, Kafka dups ${f.kafka ? `${f.kafka.duplicateMessages}/${f.kafka.duplicatedEvents}` : 'n/a'}, 5xx ${Object.values(f.load.failures).reduce((a, b) => a + b, 0)}, read models ${f.readModels.equal ? 'equal' : 'DIFFER'}` : r.failed[0]),
    );
  }
  console.log(JSON.stringify({ chaos: results.map((r) => ({ name: r.name, failed: r.failed, figures: r.figures })) }));
  process.exitCode = results.some((r) => r.failed.length > 0) ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(2);
});
