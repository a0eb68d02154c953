import { freePort } from '@chip-ledger/embedded-postgres';
import { loadConfig, mintAccessToken } from '@chip-ledger/http';
import { ledgerTopic } from '@chip-ledger/messaging';
import { createTestDatabase } from '@chip-ledger/testing';
import { Client } from 'pg';
import { BAR, type BenchFigures } from '../figures';
import { childrenOf, cpuAvailable, cpuPercent, sampleCpu, type CpuGroups } from '../lib/cpu';
import { getJson, HttpClient } from '../lib/http-client';
import { startServer } from '../lib/server';
import { fmtMs, fmtRate, percentile, sleep, sortedCopy } from '../lib/stats';
import { runCommandLoad } from './command-load';
import type { BenchContext, BenchPhase } from './context';
import { RelayLagProbe } from './relay-lag';
import { seedProcurement } from './seed';

/**
 * The command API end to end: the real procurement-service in its own process (HTTP → validation → decider →
 * PostgreSQL append; its outbox relay → Kafka), driven over keep-alive HTTP at a fixed concurrency, with a
 * Kafka consumer timing how long each recorded event takes to come out of the topic.
 */
export const commandApiPhase: BenchPhase = {
  name: 'command API over HTTP + relay lag',
  async run(context: BenchContext): Promise<Partial<BenchFigures>> {
    const { settings, log, runTag } = context;
    const database = await createTestDatabase('bench', context.adminDatabaseUrl);
    context.onCleanup(() => database.drop());

    const port = await freePort();
    const server = await startServer({
      entry: 'apps/procurement-service/src/main.ts',
      port,
      env: { DATABASE_URL: database.url, KAFKA_BROKERS: context.kafkaBrokers.join(',') },
      profileDir: settings.profileDir,
    });
    context.onCleanup(() => server.stop());
    log(`procurement-service started as a separate process (pid ${server.appPid().join('/')}) on ${server.baseUrl}, database ${database.name}`);

    // The service signs with JWT_SECRET when set, else with the development secret: mint tokens the same way.
    const secret = loadConfig({ JWT_SECRET: process.env['JWT_SECRET'] }).jwtSecret;
    const organisationId = `bench-${runTag}`;
    const tokens = {
      admin: mintAccessToken({ sub: 'bench-admin', org: 'chip-ledger', role: 'admin' }, secret),
      operator: mintAccessToken({ sub: `operator@${organisationId}`, org: organisationId, role: 'operator' }, secret),
    };
    const client = new HttpClient(server.baseUrl, settings.concurrency);
    context.onCleanup(() => client.close());

    const probe = new RelayLagProbe(context.kafkaBrokers, ledgerTopic('procurement'), runTag, `chip-ledger-bench-${runTag}`);
    context.onCleanup(() => probe.stop());
    const seedStarted = Date.now();
    const [world] = await Promise.all([
      seedProcurement(client, tokens, { organisationId, dataCenterPrefix: `bench-${runTag}-dc-` }, settings.dataCenters),
      probe.start(),
    ]);
    if (!(await probe.waitFor(world.events, 30_000))) {
      throw new Error(`the consumer received ${probe.received()} of the ${world.events} seed events within 30 s: is the relay publishing?`);
    }
    log(`seeded ${world.dataCenterIds.length} data centers (${world.events} commands) through the API and saw them on ${ledgerTopic('procurement')} in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const db = new Client({ connectionString: database.url });
    await db.connect();
    context.onCleanup(() => db.end());

    const groups: CpuGroups = {
      server: { pids: server.appPid },
      postgres: { pids: () => (context.processes.postgres ? [context.processes.postgres, ...childrenOf(context.processes.postgres)] : []) },
      kafka: { pids: () => (context.processes.kafka ? [context.processes.kafka] : []) },
      loadGenerator: { pids: () => [process.pid] },
    };
    let cpuStart = cpuAvailable() ? sampleCpu(groups) : null;
    const relayHealth = { maxPending: 0, maxLagMs: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await sleep(1000);
        const health = await getJson(`${server.baseUrl}/health`).catch(() => null);
        const relay = (health?.body as { details?: Record<string, { pending?: number; lagMs?: number }> } | undefined)?.details?.['relay-procurement'];
        if (relay && sampling) {
          relayHealth.maxPending = Math.max(relayHealth.maxPending, relay.pending ?? 0);
          relayHealth.maxLagMs = Math.max(relayHealth.maxLagMs, relay.lagMs ?? 0);
        }
      }
    })();

    log(`load: ${settings.concurrency} concurrent POST /data-centers/:id/installations (1 chip, round-robin over ${world.dataCenterIds.length} data centers), warm-up ${settings.warmupSec} s, measured ${settings.measureSec} s`);
    const load = await runCommandLoad(client, {
      concurrency: settings.concurrency,
      warmupSec: settings.warmupSec,
      measureSec: settings.measureSec,
      dataCenterIds: world.dataCenterIds,
      operatorToken: tokens.operator,
      onMeasureStart: () => {
        if (cpuStart) cpuStart = sampleCpu(groups);
      },
    });
    const cpu = cpuStart ? cpuPercent(cpuStart, sampleCpu(groups)) : null;
    sampling = false;

    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM procurement.events WHERE recorded_at >= to_timestamp($1 / 1000.0)', [load.windowStart]);
    const expected = Number(rows[0].n);
    const lag = await probe.settle(load.windowStart, load.loadStopped, expected, context.quick ? 20_000 : 60_000);
    await sampler;
    const streams = await db.query<{ streams: string; events: string; longest: number }>(
      `SELECT count(DISTINCT stream_id) AS streams, count(*) AS events, max(version) AS longest FROM procurement.events WHERE stream_id LIKE 'chip-stock-%'`,
    );

    const sorted = sortedCopy(load.latencies);
    const refusedTotal = Object.values(load.refused).reduce((a, b) => a + b, 0);
    const commandsPerSec = load.created / load.elapsedSec;
    // CPU ms the server spends per command: what a core buys, whatever else the machine is doing.
    const serverCpuMsPerCommand = cpu ? (cpu['server'] * 10) / commandsPerSec : null;
    const meanStream = Number(streams.rows[0].events) / Math.max(1, Number(streams.rows[0].streams));
    log('');
    log(`commands:   ${fmtRate(commandsPerSec)} commands/s  (${load.created} created in ${load.elapsedSec.toFixed(1)} s; ${load.warmupRequests} warm-up requests before)`);
    log(`latency:    p50 ${fmtMs(percentile(sorted, 0.5))}  p90 ${fmtMs(percentile(sorted, 0.9))}  p99 ${fmtMs(percentile(sorted, 0.99))}  max ${fmtMs(percentile(sorted, 1))}`);
    log(`refused:    ${refusedTotal === 0 ? 'none' : `${refusedTotal} ${JSON.stringify(load.refused)}; e.g. ${load.sampleRefusal}`}`);
    log(`per second: ${load.perSecond.join(' ')}`);
    log(`streams:    ${streams.rows[0].streams} stock streams, ${Math.round(meanStream)} events each on average at the end (longest ${streams.rows[0].longest}); the service keeps folded states, so an installation reads only the events it has not seen`);
    log(
      `relay lag:  p50 ${fmtMs(lag.p50Ms)}  p99 ${fmtMs(lag.p99Ms)}  max ${fmtMs(lag.maxMs)} over ${lag.events} events (consumer receipt − recordedAt); ` +
        `drained ${fmtMs(lag.drainMs)} after the load stopped${lag.complete ? '' : ` — INCOMPLETE: ${probe.receivedSince(load.windowStart)} of ${expected} events arrived`}`,
    );
    log(`relay /health during the load: at most ${relayHealth.maxPending} events pending, oldest ${fmtMs(relayHealth.maxLagMs)}`);
    if (cpu) {
      log(
        `cpu (% of one core, ${context.cores} cores = ${context.cores * 100}%): server ${cpu['server']}  postgres ${cpu['postgres']}  kafka ${cpu['kafka']}  ` +
          `load generator ${cpu['loadGenerator']}  other processes ${cpu['otherProcesses']}  machine ${cpu['machineTotal']}`,
      );
      log(
        `cpu per command: server ${(serverCpuMsPerCommand ?? Number.NaN).toFixed(2)} ms, postgres ${((cpu['postgres'] * 10) / commandsPerSec).toFixed(2)} ms ` +
          `(steadier than commands/s on a shared machine: ${Math.round(1000 / (serverCpuMsPerCommand ?? Number.NaN))} commands/s is what one core of server could do)`,
      );
      // Everything the run needs shares the same cores: the service, PostgreSQL, Kafka, the load generator. Their
      // CPU per command bounds what this machine can do, whatever the service does. Other processes are left out
      // (on a shared machine they are someone else's), and so is the kernel's loopback work outside our processes.
      const runMs = (runCpu(cpu) * 10) / commandsPerSec;
      log(
        `cpu per command, all of the run (server + postgres + kafka + load generator): ${runMs.toFixed(2)} ms, so ${context.cores} cores ` +
          `saturate at ~${fmtRate((context.cores * 1000) / runMs)} commands/s (the first bar needs ≤ ${((context.cores * 1000) / BAR.commandsPerSec).toFixed(2)} ms)`,
      );
    }

    return {
      commandsPerSec,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: percentile(sorted, 1),
      commands: load.created,
      errors: refusedTotal,
      conflicts409: load.refused['409'] ?? 0,
      relayLagMs: lag.p99Ms,
      relayLagP50Ms: lag.p50Ms,
      relayLagMaxMs: lag.maxMs,
      relayDrainMs: lag.drainMs,
      relayComplete: lag.complete,
      meanStockStreamLength: meanStream,
      ...(cpu
        ? {
            cpuPercent: cpu,
            serverCpuMsPerCommand,
            postgresCpuMsPerCommand: (cpu['postgres'] * 10) / commandsPerSec,
            runCpuMsPerCommand: (runCpu(cpu) * 10) / commandsPerSec,
          }
        : {}),
    };
  },
};

/** CPU (% of one core) of the processes a run consists of: the service, PostgreSQL, Kafka and the load generator. */
function runCpu(cpu: Record<string, number>): number {
  return cpu['server'] + cpu['postgres'] + cpu['kafka'] + cpu['loadGenerator'];
}
