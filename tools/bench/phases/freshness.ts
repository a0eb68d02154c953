import { freePort } from '@chip-ledger/embedded-postgres';
import { loadConfig, mintAccessToken } from '@chip-ledger/http';
import { createKafkaClient, ensureTopics, LEDGER_TOPIC_PARTITIONS, ledgerTopics } from '@chip-ledger/messaging';
import { createTestDatabase } from '@chip-ledger/testing';
import { logLevel } from 'kafkajs';
import type { BenchFigures } from '../figures';
import { HttpClient } from '../lib/http-client';
import { startServer } from '../lib/server';
import { fmtMs, fmtRate, percentile, sleep, sortedCopy } from '../lib/stats';
import type { BenchContext, BenchPhase } from './context';
import { BENCH_MODEL, seedProcurement } from './seed';

/** Commands per second during the measurement: a steady trickle well under capacity, as dashboards see it live. */
const RATE_PER_SEC = 100;
/**
 * Every 10th write is followed by the two reads (20 probe reads/s). Reading after every write (200 waiting
 * reads/s) measures something else: how many read-your-writes reads one projection-service process serves while
 * it also projects (it fell 2-2.6 s behind at that load on 2 cores; decision 0008).
 */
const PROBE_EVERY = 10;
const DATA_CENTERS = 16;
/** The issue (projection service): dashboards see a fact within a second of it being recorded. */
const FRESHNESS_GOAL_MS = 1_000;

interface Sample {
  /** ms from the 201 of the write to the read that shows it, per read model. */
  readonly chipMix: number | null;
  readonly findings: number | null;
  /** ms from sending the write to the chip-mix read that shows it. */
  readonly writeToChipMix: number | null;
}

/**
 * How fresh the dashboards are, live: the real procurement-service and projection-service as separate
 * processes on one Kafka topic set of their own, installations at a steady rate, and after every 10th 201 a
 * read-your-writes read of the data center's chip mix and of its findings (`?after=<position>`: the query
 * API answers once that read model has applied the write, 503 after 5 s). The time from the 201 to each answer
 * is how long the fact took to reach that read model: commit → relay → Kafka → projector transaction → read.
 */
export const freshnessPhase: BenchPhase = {
  name: 'freshness: command → read model, live',
  async run(context: BenchContext): Promise<Partial<BenchFigures>> {
    const { settings, log, runTag } = context;
    const prefix = `bench-${runTag}-live`;
    const kafka = createKafkaClient({ brokers: context.kafkaBrokers, clientId: 'chip-ledger-bench-freshness', logLevel: logLevel.NOTHING });
    const topics = ledgerTopics(prefix);
    await ensureTopics(kafka, topics.map((topic) => ({ topic, partitions: LEDGER_TOPIC_PARTITIONS })));
    context.onCleanup(async () => {
      const admin = kafka.admin();
      await admin.connect();
      const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
      await admin.deleteTopics({ topics: ours }).catch(() => undefined);
      await admin.disconnect();
    });

    const [commandDb, queryDb] = await Promise.all([createTestDatabase('bench_live', context.adminDatabaseUrl), createTestDatabase('bench_query', context.adminDatabaseUrl)]);
    context.onCleanup(() => commandDb.drop());
    context.onCleanup(() => queryDb.drop());
    const env = { KAFKA_BROKERS: context.kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix };
    const [commands, queries] = await Promise.all([
      startServer({ entry: 'apps/procurement-service/src/main.ts', port: await freePort(), env: { ...env, DATABASE_URL: commandDb.url }, profileDir: null }),
      startServer({ entry: 'apps/projection-service/src/main.ts', port: await freePort(), env: { ...env, DATABASE_URL: queryDb.url }, profileDir: null }),
    ]);
    context.onCleanup(() => commands.stop());
    context.onCleanup(() => queries.stop());
    log(`procurement-service (pid ${commands.appPid().join('/')}) and projection-service (pid ${queries.appPid().join('/')}) on topics ${prefix}.*`);

    const secret = loadConfig({ JWT_SECRET: process.env['JWT_SECRET'] }).jwtSecret;
    const organisationId = `bench-${runTag}-live`;
    const tokens = {
      admin: mintAccessToken({ sub: 'bench-admin', org: 'chip-ledger', role: 'admin' }, secret),
      operator: mintAccessToken({ sub: `operator@${organisationId}`, org: organisationId, role: 'operator' }, secret),
    };
    const auth = { authorization: `Bearer ${tokens.operator}` };
    const writer = new HttpClient(commands.baseUrl, 16);
    // A read waits on the server until its write is applied: enough connections that no read queues in the client.
    const reader = new HttpClient(queries.baseUrl, 256);
    context.onCleanup(() => writer.close());
    context.onCleanup(() => reader.close());

    const world = await seedProcurement(writer, tokens, { organisationId, dataCenterPrefix: `bench-${runTag}-live-dc-` }, DATA_CENTERS);
    const install = async (dataCenterId: string): Promise<{ position: string; sentAt: number; recordedAt: number } | null> => {
      const sentAt = performance.now();
      const answer = await writer.post(`/data-centers/${dataCenterId}/installations`, { modelId: BENCH_MODEL, quantity: 1 }, auth);
      if (answer.status !== 201) return null;
      return { position: (JSON.parse(answer.body) as { position: string }).position, sentAt, recordedAt: performance.now() };
    };
    /** ms until the read model shows the write (null: it answered otherwise, e.g. 503 after its 5 s wait). */
    const visible = async (path: string, since: number): Promise<number | null> => {
      const answer = await reader.get(path, auth);
      return answer.status === 200 ? performance.now() - since : null;
    };
    const chipMixPath = (dataCenterId: string, position: string) => `/data-centers/${dataCenterId}/chip-mix?after=${encodeURIComponent(position)}`;
    const findingsPath = (dataCenterId: string, position: string) => `/findings?dataCenterId=${dataCenterId}&limit=1&after=${encodeURIComponent(position)}`;

    // Caught up on the seed: a first installation is visible in both read models.
    const caughtUpStarted = Date.now();
    const probeDataCenter = world.dataCenterIds[world.dataCenterIds.length - 1];
    for (;;) {
      const write = await install(probeDataCenter);
      if (!write) throw new Error('an installation after seeding was refused');
      const [chipMix, findings] = await Promise.all([visible(chipMixPath(probeDataCenter, write.position), write.recordedAt), visible(findingsPath(probeDataCenter, write.position), write.recordedAt)]);
      if (chipMix !== null && findings !== null) break;
      if (Date.now() - caughtUpStarted > 60_000) throw new Error('the projection-service did not catch up with the seed within 60 s');
    }
    log(`seeded ${world.dataCenterIds.length} data centers (${world.events} commands); the read models caught up in ${((Date.now() - caughtUpStarted) / 1000).toFixed(1)} s`);

    // Open loop: one installation every 1/RATE s, whatever the answers; each 201 is followed by both reads.
    const samples: Promise<Sample | null>[] = [];
    let refused = 0;
    const intervalMs = 1000 / RATE_PER_SEC;
    const started = performance.now();
    const count = Math.round(settings.measureSec * RATE_PER_SEC);
    for (let i = 0; i < count; i++) {
      const due = started + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const dataCenterId = world.dataCenterIds[i % world.dataCenterIds.length];
      samples.push(
        install(dataCenterId).then(async (write) => {
          if (!write) refused++;
          if (!write || i % PROBE_EVERY !== 0) return null;
          const [chipMix, findings] = await Promise.all([
            visible(chipMixPath(dataCenterId, write.position), write.recordedAt),
            visible(findingsPath(dataCenterId, write.position), write.recordedAt),
          ]);
          return { chipMix, findings, writeToChipMix: chipMix === null ? null : chipMix + (write.recordedAt - write.sentAt) };
        }),
      );
    }
    const sendingSec = (performance.now() - started) / 1000;
    const done = await Promise.all(samples);
    const written = done.filter((sample): sample is Sample => sample !== null); // the probed writes
    const series = (pick: (sample: Sample) => number | null) => sortedCopy(written.map(pick).filter((ms): ms is number => ms !== null));
    const chipMix = series((sample) => sample.chipMix);
    const findings = series((sample) => sample.findings);
    const writeToChipMix = series((sample) => sample.writeToChipMix);
    const late = written.length * 2 - chipMix.length - findings.length;

    const line = (name: string, sorted: ArrayLike<number>) =>
      `${name.padEnd(9)} p50 ${fmtMs(percentile(sorted, 0.5))}  p99 ${fmtMs(percentile(sorted, 0.99))}  max ${fmtMs(percentile(sorted, 1))}`;
    log(`load: ${fmtRate(count / sendingSec)} installations/s sent for ${sendingSec.toFixed(1)} s; ${refused} refused; every ${PROBE_EVERY}th 201 followed by two read-your-writes reads (${written.length} probed)`);
    log(`visible after the 201: ${line('chip-mix', chipMix)};  ${line('findings', findings)}`);
    log(`write sent → visible in chip-mix: p50 ${fmtMs(percentile(writeToChipMix, 0.5))}  p99 ${fmtMs(percentile(writeToChipMix, 0.99))}`);
    const worstP99 = Math.max(percentile(chipMix, 0.99), percentile(findings, 0.99));
    log(
      `dashboards within ${FRESHNESS_GOAL_MS} ms of the fact (issue): ${late === 0 && worstP99 < FRESHNESS_GOAL_MS ? 'yes' : 'NO'} ` +
        `(p99 ${fmtMs(worstP99)}${late ? `; ${late} reads not caught up within the query API's 5 s wait` : ''})`,
    );
    return {
      freshnessChipMixP50Ms: percentile(chipMix, 0.5),
      freshnessChipMixP99Ms: percentile(chipMix, 0.99),
      freshnessFindingsP50Ms: percentile(findings, 0.5),
      freshnessFindingsP99Ms: percentile(findings, 0.99),
      freshnessLateReads: late,
    };
  },
};
