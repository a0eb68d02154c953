import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventStoreMetricsSource, ProjectionMetricsSource, RelayMetricsSource } from './metrics-sources';

/** A source that does not answer within this (a broker or database down) leaves its series out of one scrape. */
const COLLECT_TIMEOUT_MS = 2_000;

/**
 * The Prometheus metrics of one service: its own registry (several apps can share a process in tests), the
 * process's default metrics, the HTTP latency histogram, and gauges and counters read from the libraries
 * (event stores, relays, projections) when scraped.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly stores: EventStoreMetricsSource[] = [];
  private readonly relays: RelayMetricsSource[] = [];
  private readonly projections: ProjectionMetricsSource[] = [];
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly collectFailures: Counter<'source'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route template (unmatched: no route), method and status, from arrival to the last byte sent.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.collectFailures = new Counter({
      name: 'chipledger_metrics_collect_failures_total',
      help: 'Scrapes that left a source out because it failed or did not answer in time (relay, projection).',
      labelNames: ['source'],
      registers: [this.registry],
    });
    this.defineEventStoreMetrics();
    this.defineRelayMetrics();
    this.defineProjectionMetrics();
  }

  watchEventStore(store: EventStoreMetricsSource): void {
    this.stores.push(store);
  }

  watchRelays(relays: RelayMetricsSource): void {
    this.relays.push(relays);
  }

  watchProjections(engine: ProjectionMetricsSource): void {
    this.projections.push(engine);
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(status) }, seconds);
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private defineEventStoreMetrics(): void {
    const stores = this.stores;
    // Several store objects may share a schema (a context's own store and another context's read-only view of it).
    const perSchema = () => {
      const sums = new Map<string, { recorded: number; replayed: number; refused: number; failed: number; events: number; statements: number; statementSeconds: number }>();
      for (const store of stores) {
        const s = store.appendStatistics();
        const sum = sums.get(store.schema) ?? { recorded: 0, replayed: 0, refused: 0, failed: 0, events: 0, statements: 0, statementSeconds: 0 };
        for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += s[key];
        sums.set(store.schema, sum);
      }
      return sums;
    };
    new Counter({
      name: 'chipledger_event_store_appends_total',
      help: "Commands appended to the event store by this process, by store (schema) and outcome: recorded, replayed (a retry's first answer), refused (stale version, duplicate, busy), failed.",
      labelNames: ['store', 'outcome'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [store, sum] of perSchema()) {
          for (const outcome of ['recorded', 'replayed', 'refused', 'failed'] as const) this.inc({ store, outcome }, sum[outcome]);
        }
      },
    });
    new Counter({
      name: 'chipledger_event_store_events_appended_total',
      help: 'Events recorded in the event store by this process, by store (schema).',
      labelNames: ['store'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [store, sum] of perSchema()) this.inc({ store }, sum.events);
      },
    });
    new Counter({
      name: 'chipledger_event_store_append_statements_total',
      help: 'Append statements sent (each carries the commands that arrived together), by store.',
      labelNames: ['store'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [store, sum] of perSchema()) this.inc({ store }, sum.statements);
      },
    });
    new Counter({
      name: 'chipledger_event_store_append_statement_seconds_total',
      help: 'Time spent in append statements, by store (divide by the statements for the mean).',
      labelNames: ['store'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [store, sum] of perSchema()) this.inc({ store }, sum.statementSeconds);
      },
    });
  }

  private defineRelayMetrics(): void {
    const read = () => this.gather('relay', this.relays.map((relays) => relays.relayReports()));
    // One database read per scrape serves the four series.
    let pending: Promise<Awaited<ReturnType<typeof read>>> | null = null;
    const reports = () => (pending ??= read().finally(() => setImmediate(() => (pending = null))));
    new Gauge({
      name: 'chipledger_relay_backlog_events',
      help: 'Events recorded and not yet published to Kafka, by context.',
      labelNames: ['context'],
      registers: [this.registry],
      async collect() {
        const all = await reports();
        this.reset();
        for (const report of all ?? []) this.set({ context: report.context }, report.pending);
      },
    });
    new Gauge({
      name: 'chipledger_relay_lag_seconds',
      help: 'Age of the oldest event not yet published to Kafka (0 when none), by context.',
      labelNames: ['context'],
      registers: [this.registry],
      async collect() {
        const all = await reports();
        this.reset();
        for (const report of all ?? []) this.set({ context: report.context }, report.lagMs / 1000);
      },
    });
    new Counter({
      name: 'chipledger_relay_published_events_total',
      help: 'Events this process published to Kafka, by context.',
      labelNames: ['context'],
      registers: [this.registry],
      async collect() {
        const all = await reports();
        this.reset();
        for (const report of all ?? []) this.inc({ context: report.context }, report.published);
      },
    });
    new Gauge({
      name: 'chipledger_relay_consecutive_failures',
      help: 'Publish attempts that failed in a row (0 when healthy), by context.',
      labelNames: ['context'],
      registers: [this.registry],
      async collect() {
        const all = await reports();
        this.reset();
        for (const report of all ?? []) this.set({ context: report.context }, report.consecutiveFailures);
      },
    });
  }

  private defineProjectionMetrics(): void {
    const engines = this.projections;
    const runners = () => engines.flatMap((engine) => engine.status());
    const labels = (r: { projection: string; generation: number }) => ({ projection: r.projection, generation: String(r.generation) });
    const runnerCounter = (name: string, help: string, value: (r: ReturnType<typeof runners>[number]) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['projection', 'generation'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const runner of runners()) this.inc(labels(runner), value(runner));
        },
      });
    runnerCounter('chipledger_projection_events_applied_total', 'Events a projection generation applied in this process.', (r) => r.applied);
    runnerCounter('chipledger_projection_duplicates_skipped_total', 'Events a projection generation skipped as already applied (redelivered).', (r) => r.duplicates);
    runnerCounter('chipledger_projection_batches_total', 'Transactions a projection generation committed in this process.', (r) => r.batches);
    runnerCounter('chipledger_projection_dead_lettered_total', 'Messages a projection generation dead-lettered in this process.', (r) => r.deadLettered);
    new Gauge({
      name: 'chipledger_projection_runner_state',
      help: 'The state of each projection generation this process runs (1 for its current state).',
      labelNames: ['projection', 'generation', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const runner of runners()) this.set({ ...labels(runner), state: runner.state }, 1);
      },
    });
    new Gauge({
      name: 'chipledger_projection_last_commit_timestamp_seconds',
      help: 'When a projection generation last committed a transaction (Unix time).',
      labelNames: ['projection', 'generation'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const runner of runners()) if (runner.lastCommitAt) this.set(labels(runner), Date.parse(runner.lastCommitAt) / 1000);
      },
    });
    const lag = () => this.gather('projection-lag', engines.map((engine) => engine.lag()));
    new Gauge({
      name: 'chipledger_projection_lag_events',
      help: 'Messages (Kafka) or events (PostgreSQL log) a projection generation run here has not applied yet.',
      labelNames: ['projection', 'generation', 'state'],
      registers: [this.registry],
      async collect() {
        const all = await lag();
        this.reset();
        for (const generation of all ?? []) this.set({ ...labels(generation), state: generation.state }, generation.behind);
      },
    });
    const deadLetters = () => this.gather('dead-letters', engines.slice(0, 1).map((engine) => engine.deadLetterCounts().then((counts) => [...counts])));
    new Gauge({
      name: 'chipledger_projection_dead_letters',
      help: 'Dead letters kept for a projection (every instance and generation): messages set aside for an operator.',
      labelNames: ['projection'],
      registers: [this.registry],
      async collect() {
        const all = await deadLetters();
        this.reset();
        for (const [projection, count] of all ?? []) this.set({ projection }, count);
      },
    });
  }

  /** Every source's answer, flattened; null (and a failure counted) when one fails or is too slow. */
  private async gather<T>(source: string, reads: Promise<readonly T[]>[]): Promise<T[] | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
      });
      return (await Promise.race([Promise.all(reads), timeout])).flat();
    } catch {
      this.collectFailures.inc({ source });
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
