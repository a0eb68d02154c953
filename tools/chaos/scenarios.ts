import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPostgresCluster, type PostgresCluster, type ShutdownMode } from '@chip-ledger/testing';
import { Client } from 'pg';
import { HealthSampler } from './lib/health-sampler';
import { startKafka, type ChaosKafka } from './lib/infra';
import { longestGap, startLoad, type LoadFigures } from './lib/load';
import { startService, type ChaosService } from './lib/service';
import { checkKafka, checkReadModels, checkStore, waitHealthy, type KafkaFigures, type ReadModelFigures, type StoreFigures } from './lib/verify';
import { dataCenterIds, seed } from './lib/world';

export interface ChaosSettings {
  /** Concurrent clients of the write load. */
  readonly workers: number;
  /** Seconds of load before the fault, and after the dependency is back. */
  readonly beforeSec: number;
  readonly afterSec: number;
  /** How long a killed broker stays down. */
  readonly outageSec: number;
  /** Seconds of load building the projector's backlog. */
  readonly backlogSec: number;
  readonly kafkaBasePort: number;
  readonly log: (line: string) => void;
}

/** What one fault did, in the figures the suite prints and judges. */
export interface ChaosFigures {
  readonly fault: string;
  readonly load: Omit<LoadFigures, 'acknowledged' | 'ackTimes'> & { readonly acknowledged: number };
  readonly store: StoreFigures;
  readonly kafka: KafkaFigures | null;
  readonly readModels: ReadModelFigures;
  /** Longest time without a 201 around the fault (ms). */
  readonly writeGapMs: number;
  /** Named recovery times (ms), e.g. `writes`, `health ok`. */
  readonly recovery: Record<string, number | null>;
  /** What /health said was degraded during the fault. */
  readonly degraded: readonly string[];
  /** Exits the suite did not cause (a service that would have needed a manual restart), and unhandled errors logged. */
  readonly crashes: readonly string[];
  readonly unhandled: readonly string[];
  /** Anything else worth saying (events reaching Kafka while a broker was down, where the projector was killed...). */
  readonly notes: readonly string[];
}

export interface ChaosScenario {
  readonly name: string;
  readonly title: string;
  run(settings: ChaosSettings): Promise<ChaosFigures>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ledgerTopic = (prefix: string) => `${prefix}.procurement.v1`;

/** The distributed form on a PostgreSQL cluster and a Kafka of the suite's own: procurement-service and projection-service. */
interface Distributed {
  readonly pg: PostgresCluster;
  readonly kafka: ChaosKafka;
  readonly prefix: string;
  readonly procurement: ChaosService;
  readonly projection: ChaosService;
  readonly dataCenters: string[];
  readonly runId: string;
  readonly sampler: HealthSampler;
}

async function distributed<T>(name: string, settings: ChaosSettings, options: { kafkaNodes: number; replication?: { factor: number; minInsync: number } }, body: (d: Distributed) => Promise<T>): Promise<T> {
  const runId = `${name}-${Date.now().toString(36)}`;
  const prefix = `chaos-${runId}`;
  settings.log(`  starting a PostgreSQL cluster and ${options.kafkaNodes === 1 ? 'a Kafka broker' : `a ${options.kafkaNodes}-node Kafka cluster`} of the suite's own`);
  const [pg, kafka] = await Promise.all([startPostgresCluster(), startKafka({ nodes: options.kafkaNodes, basePort: settings.kafkaBasePort })]);
  const services: ChaosService[] = [];
  try {
    const env: Record<string, string> = {
      DATABASE_URL: pg.url,
      KAFKA_BROKERS: kafka.brokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      NODE_ENV: 'development',
      ...(options.replication ? { KAFKA_REPLICATION_FACTOR: String(options.replication.factor), KAFKA_MIN_INSYNC_REPLICAS: String(options.replication.minInsync) } : {}),
    };
    settings.log('  starting procurement-service and projection-service');
    const procurement = await startService('procurement-service', { entry: 'apps/procurement-service/src/main.ts' }, env);
    services.push(procurement);
    const projection = await startService('projection-service', { entry: 'apps/projection-service/src/main.ts' }, env);
    services.push(projection);
    const dataCenters = dataCenterIds(settings.workers * 2);
    const seeded = await seed(procurement.baseUrl, dataCenters);
    settings.log(`  seeded ${seeded} commands over ${dataCenters.length} data centers`);
    const healthy = await waitHealthy(projection.baseUrl, 120_000);
    if (healthy.at === null) throw new Error(`projection-service not healthy after seeding: ${JSON.stringify(healthy.last)}`);
    const d: Distributed = { pg, kafka, prefix, procurement, projection, dataCenters, runId, sampler: new HealthSampler([procurement, projection]) };
    d.sampler.start(250);
    try {
      return await body(d);
    } finally {
      d.sampler.stop();
    }
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    const logs = keepLogs(settings, runId, services);
    await Promise.all([kafka.destroy(logs), pg.destroy()]);
  }
}

/** Each service's output, kept for a look afterwards (the suite deletes everything else it started). */
function keepLogs(settings: ChaosSettings, runId: string, services: readonly ChaosService[]): string {
  const dir = path.join(tmpdir(), 'chipledger-chaos-logs', runId);
  mkdirSync(dir, { recursive: true });
  for (const service of services) writeFileSync(path.join(dir, `${service.name.replace(/\W+/g, '-')}.log`), service.output());
  settings.log(`  logs: ${dir}`);
  return dir;
}

/** After the load: everything caught up, then the checks every scenario makes. */
async function verify(
  d: { pg?: PostgresCluster; databaseUrl: string; brokers: readonly string[] | null; topic: string | null; readSide: ChaosService; services: readonly ChaosService[] },
  load: LoadFigures,
  settings: ChaosSettings,
): Promise<{ store: StoreFigures; kafka: KafkaFigures | null; readModels: ReadModelFigures; healthyAt: number | null; checksFrom: number }> {
  settings.log('  waiting for every service to report ok (relays drained, read models caught up)');
  const healthy = await Promise.all(d.services.map((s) => waitHealthy(s.baseUrl, 180_000)));
  const stuck = healthy.findIndex((h) => h.at === null);
  if (stuck >= 0) settings.log(`  ! ${d.services[stuck].name} is still not ok: ${JSON.stringify(healthy[stuck].last).slice(0, 600)}`);
  const healthyAt = healthy.every((h) => h.at !== null) ? Math.max(...healthy.map((h) => h.at as number)) : null;
  const checksFrom = Date.now();
  settings.log('  checking the store, the topic and the read models (a rebuild of each from the start of the log)');
  const store = await checkStore(d.databaseUrl, load.acknowledged);
  const kafka = d.brokers && d.topic ? await checkKafka(d.brokers, d.topic, d.databaseUrl) : null;
  const readModels = await checkReadModels(d.readSide.baseUrl, d.databaseUrl);
  return { store, kafka, readModels, healthyAt, checksFrom };
}

function figures(
  fault: string,
  load: LoadFigures,
  checked: { store: StoreFigures; kafka: KafkaFigures | null; readModels: ReadModelFigures; checksFrom: number },
  extra: {
    writeGapMs: number;
    recovery: Record<string, number | null>;
    degraded: readonly string[];
    services: readonly ChaosService[];
    notes?: string[];
    /** What /health said while the checks rebuilt every read model (a switch of generations must not make it degraded). */
    duringRebuilds: readonly string[];
  },
): ChaosFigures {
  const { acknowledged, ackTimes: _ackTimes, ...rest } = load;
  return {
    fault,
    load: { ...rest, acknowledged: acknowledged.length },
    store: checked.store,
    kafka: checked.kafka,
    readModels: checked.readModels,
    writeGapMs: extra.writeGapMs,
    recovery: extra.recovery,
    degraded: extra.degraded,
    crashes: extra.services.flatMap((s) => s.crashes),
    unhandled: extra.services.flatMap((s) => s.unhandledErrors()),
    notes: [...(extra.notes ?? []), `while the checks rebuilt every read model, /health said: ${extra.duringRebuilds.join(' | ') || 'ok'}`],
  };
}

const firstAckAfter = (load: LoadFigures, at: number): number | null => load.ackTimes.filter((t) => t > at).sort((a, b) => a - b)[0] ?? null;
const since = (from: number, to: number | null): number | null => (to === null ? null : Math.max(0, to - from));

/** Sum of a topic's high-water marks: messages written to it so far (retried while leaders move after a broker loss). */
async function topicEnd(brokers: readonly string[], topic: string, timeoutMs = 60_000): Promise<number> {
  const { Kafka, logLevel } = await import('kafkajs');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const admin = new Kafka({ clientId: 'chaos-ends', brokers: [...brokers], logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
    try {
      await admin.connect();
      return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

function brokerKill(nodes: number): ChaosScenario {
  const cluster = nodes > 1;
  return {
    name: cluster ? 'broker-kill-3' : 'broker-kill',
    title: cluster
      ? 'SIGKILL of one broker of a 3-node KRaft cluster under a write load (replication factor 3, min.insync.replicas 2)'
      : 'SIGKILL of the Kafka broker under a write load',
    run: (settings) =>
      distributed(cluster ? 'brokerkill3' : 'brokerkill', settings, { kafkaNodes: nodes, replication: cluster ? { factor: 3, minInsync: 2 } : undefined }, async (d) => {
        const topic = ledgerTopic(d.prefix);
        const load = startLoad(d.procurement.baseUrl, { workers: settings.workers, runId: d.runId, dataCenters: d.dataCenters });
        await sleep(settings.beforeSec * 1000);
        const victim = cluster ? await d.kafka.busiestLeader(topic) : 1;
        const endBefore = cluster ? await topicEnd(d.kafka.brokers, topic) : 0;
        const killedAt = Date.now();
        await d.kafka.kill(victim);
        settings.log(`  killed broker ${victim} (SIGKILL) after ${load.acknowledgedCount()} acknowledged commands`);
        // A cluster moves the dead broker's leaderships once its session times out (broker.session.timeout.ms, 9 s):
        // stay down well past that, so the figures show writes going on without it.
        await sleep((cluster ? 2 : 1) * settings.outageSec * 1000);
        const notes: string[] = [];
        if (cluster) {
          const endDuring = await topicEnd(d.kafka.brokers.filter((_, i) => i + 1 !== victim), topic);
          notes.push(`while broker ${victim} was down (${2 * settings.outageSec} s), ${endDuring - endBefore} events reached the topic (the relay publishing to the 2 brokers left, acks=all with min.insync.replicas=2)`);
          settings.log(`  ${notes[0]}`);
        }
        const ackedDuring = load.acknowledgedCount();
        await d.kafka.resume(victim);
        const backAt = Date.now();
        settings.log(`  broker ${victim} back after ${((backAt - killedAt) / 1000).toFixed(1)} s`);
        await sleep(settings.afterSec * 1000);
        const stoppedAt = Date.now();
        const figuresOfLoad = await load.stop();
        notes.push(`${ackedDuring} commands acknowledged by the time the broker came back`);
        const checked = await verify({ databaseUrl: d.pg.url, brokers: d.kafka.brokers, topic, readSide: d.projection, services: [d.procurement, d.projection] }, figuresOfLoad, settings);
        return figures(cluster ? `broker SIGKILL, 3-node cluster (node ${victim}, ${((backAt - killedAt) / 1000).toFixed(0)} s down)` : `broker SIGKILL (${((backAt - killedAt) / 1000).toFixed(0)} s down)`, figuresOfLoad, checked, {
          writeGapMs: longestGap(figuresOfLoad.ackTimes, killedAt, stoppedAt),
          recovery: { 'broker back → all ok (relay drained, read models caught up)': since(backAt, d.sampler.allOkAfter(backAt, checked.checksFrom) ?? checked.healthyAt) },
          degraded: d.sampler.degradedBetween(killedAt, stoppedAt),
          services: [d.procurement, d.projection],
          notes,
          duringRebuilds: d.sampler.degradedBetween(checked.checksFrom, Date.now()),
        });
      }),
  };
}

function postgresRestart(mode: ShutdownMode): ChaosScenario {
  return {
    name: `pg-restart-${mode}`,
    title: `PostgreSQL restart (pg_ctl -m ${mode}) under a write load`,
    run: (settings) =>
      distributed(`pg${mode}`, settings, { kafkaNodes: 1 }, async (d) => {
        const load = startLoad(d.procurement.baseUrl, { workers: settings.workers, runId: d.runId, dataCenters: d.dataCenters });
        await sleep(settings.beforeSec * 1000);
        const faultAt = Date.now();
        settings.log(`  restarting PostgreSQL (-m ${mode}) after ${load.acknowledgedCount()} acknowledged commands`);
        await d.pg.restart(mode);
        const backAt = Date.now();
        settings.log(`  PostgreSQL back after ${((backAt - faultAt) / 1000).toFixed(1)} s`);
        await sleep(settings.afterSec * 1000);
        const stoppedAt = Date.now();
        const figuresOfLoad = await load.stop();
        const checked = await verify({ databaseUrl: d.pg.url, brokers: d.kafka.brokers, topic: ledgerTopic(d.prefix), readSide: d.projection, services: [d.procurement, d.projection] }, figuresOfLoad, settings);
        return figures(`PostgreSQL restart -m ${mode} (${((backAt - faultAt) / 1000).toFixed(1)} s)`, figuresOfLoad, checked, {
          writeGapMs: longestGap(figuresOfLoad.ackTimes, faultAt, stoppedAt),
          recovery: {
            'restart → first 201': since(faultAt, firstAckAfter(figuresOfLoad, backAt)),
            'PostgreSQL back → all ok': since(backAt, d.sampler.allOkAfter(backAt, checked.checksFrom) ?? checked.healthyAt),
          },
          degraded: d.sampler.degradedBetween(faultAt, stoppedAt),
          services: [d.procurement, d.projection],
          duringRebuilds: d.sampler.degradedBetween(checked.checksFrom, Date.now()),
        });
      }),
  };
}

/** Messages a read model's active generation has read, summed over partitions (its stored offsets). */
async function storedOffsets(databaseUrl: string, projection: string): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ n: string }>(`SELECT COALESCE(sum(next_offset), 0)::text AS n FROM proj_${projection.replace(/-/g, '_')}_g1.consumer_offsets`);
    return Number(rows[0].n);
  } catch {
    return 0;
  } finally {
    await db.end();
  }
}

const projectorKill: ChaosScenario = {
  name: 'projector-kill',
  title: 'SIGKILL of projection-service twice while it catches up',
  run: (settings) =>
    distributed('projkill', settings, { kafkaNodes: 1 }, async (d) => {
      const topic = ledgerTopic(d.prefix);
      await d.projection.stop();
      settings.log(`  projection-service stopped; building a backlog for ${settings.backlogSec} s`);
      const load = startLoad(d.procurement.baseUrl, { workers: settings.workers, runId: d.runId, dataCenters: d.dataCenters });
      await sleep(settings.backlogSec * 1000);
      const figuresOfLoad = await load.stop();
      const relayed = await waitHealthy(d.procurement.baseUrl, 120_000);
      if (relayed.at === null) throw new Error(`the relay did not drain: ${JSON.stringify(relayed.last)}`);
      const end = await topicEnd(d.kafka.brokers, topic);
      const notes: string[] = [`backlog of ${end} messages on the topic when projection-service restarted`];
      settings.log(`  ${notes[0]}`);
      const kills: string[] = [];
      let restartedAt = 0;
      for (let kill = 1; kill <= 2; kill++) {
        await d.projection.restart();
        restartedAt = Date.now();
        const floor = Math.max(await storedOffsets(d.pg.url, 'chip-mix'), await storedOffsets(d.pg.url, 'findings'));
        // Mid-catch-up: something applied since this start, not everything.
        const deadline = Date.now() + 120_000;
        let progress = { chipMix: 0, findings: 0 };
        for (;;) {
          progress = { chipMix: await storedOffsets(d.pg.url, 'chip-mix'), findings: await storedOffsets(d.pg.url, 'findings') };
          if (Math.max(progress.chipMix, progress.findings) > floor && Math.min(progress.chipMix, progress.findings) < end) break;
          if (Math.min(progress.chipMix, progress.findings) >= end || Date.now() > deadline) break;
          await sleep(50);
        }
        await d.projection.kill();
        kills.push(`kill ${kill} at chip-mix ${progress.chipMix}/${end}, findings ${progress.findings}/${end} messages stored`);
        settings.log(`  SIGKILL ${kill}: ${kills[kills.length - 1]}`);
      }
      await d.projection.restart();
      restartedAt = Date.now();
      notes.push(...kills);
      const checked = await verify({ databaseUrl: d.pg.url, brokers: d.kafka.brokers, topic, readSide: d.projection, services: [d.procurement, d.projection] }, figuresOfLoad, settings);
      return figures('projection-service SIGKILL twice mid-catch-up', figuresOfLoad, checked, {
        writeGapMs: 0,
        recovery: { 'last restart → caught up (health ok)': since(restartedAt, checked.healthyAt) },
        degraded: d.sampler.degradedBetween(restartedAt, checked.checksFrom),
        services: [d.procurement, d.projection],
        notes,
        duringRebuilds: d.sampler.degradedBetween(checked.checksFrom, Date.now()),
      });
    }),
};

/** The embedded PostgreSQL's URL, from its postmaster.pid (line 4 is the port). */
function embeddedUrl(dataDir: string): string {
  const lines = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
  return `postgres://postgres:postgres@127.0.0.1:${lines[3].trim()}/postgres`;
}

const embeddedKill: ChaosScenario = {
  name: 'embedded-kill',
  title: 'SIGKILL of the `npm start` process tree (node and its embedded PostgreSQL) under a write load',
  run: async (settings) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'chipledger-chaos-embedded-'));
    // As root, the embedded server runs as the `postgres` user, which must reach its data directory inside this one.
    await chmod(dataDir, 0o755);
    const runId = `embedded-${Date.now().toString(36)}`;
    // The embedded form: no DATABASE_URL, no KAFKA_BROKERS (empty means unset).
    const app = await startService('npm start', { npm: 'start' }, { CHIPLEDGER_DATA_DIR: dataDir, DATABASE_URL: '', KAFKA_BROKERS: '', NODE_ENV: 'development' });
    const sampler = new HealthSampler([app]);
    try {
      const dataCenters = dataCenterIds(settings.workers * 2);
      await seed(app.baseUrl, dataCenters);
      if ((await waitHealthy(app.baseUrl, 120_000)).at === null) throw new Error('npm start not healthy after seeding');
      sampler.start(250);
      const load = startLoad(app.baseUrl, { workers: settings.workers, runId, dataCenters });
      await sleep(settings.beforeSec * 1000);
      const killedAt = Date.now();
      const ackedAtKill = load.acknowledgedCount();
      await app.kill();
      settings.log(`  killed the npm start process group (SIGKILL) after ${ackedAtKill} acknowledged commands; starting it again on its data`);
      await app.restart();
      const backAt = Date.now();
      settings.log(`  npm start serving again after ${((backAt - killedAt) / 1000).toFixed(1)} s`);
      await sleep(settings.afterSec * 1000);
      const stoppedAt = Date.now();
      const figuresOfLoad = await load.stop();
      const checked = await verify({ databaseUrl: embeddedUrl(dataDir), brokers: null, topic: null, readSide: app, services: [app] }, figuresOfLoad, settings);
      return figures('npm start process tree SIGKILL', figuresOfLoad, checked, {
        writeGapMs: longestGap(figuresOfLoad.ackTimes, killedAt, stoppedAt),
        recovery: { 'kill → serving again': backAt - killedAt, 'kill → first 201': since(killedAt, firstAckAfter(figuresOfLoad, backAt)), 'kill → all ok': since(killedAt, sampler.allOkAfter(backAt, checked.checksFrom) ?? checked.healthyAt) },
        degraded: sampler.degradedBetween(killedAt, stoppedAt),
        services: [app],
        duringRebuilds: sampler.degradedBetween(checked.checksFrom, Date.now()),
      });
    } finally {
      sampler.stop();
      await app.stop().catch(() => undefined);
      keepLogs(settings, runId, [app]);
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

export const SCENARIOS: readonly ChaosScenario[] = [brokerKill(1), projectorKill, postgresRestart('fast'), postgresRestart('immediate'), embeddedKill, brokerKill(3)];
