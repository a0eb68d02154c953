// The replay command's work, loaded only when it runs (compliance and the auditors' library take seconds to load).
import { RULEBOOK_V1 } from '@chip-ledger/compliance';
import { LedgerReplay, readLedgerFromKafka, type LedgerEntry, type ReplaySummary } from '@chip-ledger/audit-read';
import { Presets, SingleBar } from 'cli-progress';
import { ApiClient, type ServiceOptions } from '../lib/api-client';
import { UsageError } from '../lib/errors';
import { renderTable } from '../lib/table';

export interface ReplayOptions extends ServiceOptions {
  to?: string;
  kafka?: string;
  topicPrefix?: string;
}

const PAGE = 1000;

/** A bar on stderr (stdout stays for --json): count, events/s and ETA; a line every 2 s when not a terminal. */
const progressBar = (label: string): SingleBar =>
  new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} events | {rate} ev/s | ETA {eta_formatted}`,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2_000,
      etaBuffer: 20,
      fps: 5,
    },
    Presets.shades_classic,
  );

/** Progress with events/s since the start. */
class Progress {
  private readonly started = Date.now();
  private readonly bar: SingleBar;
  constructor(label: string, total: number) {
    this.bar = progressBar(label);
    this.bar.start(total, 0, { rate: 0 });
  }
  update(done: number, total?: number): void {
    if (total !== undefined) this.bar.setTotal(total);
    this.bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - this.started) / 1000)).toLocaleString('en') });
  }
  stop(): void {
    this.bar.stop();
  }
}

async function replayOverHttp(options: ReplayOptions, replay: LedgerReplay): Promise<void> {
  const api = new ApiClient(options, 'auditor');
  const { events: total } = await api.get<{ events: number }>('/audit/counts', { at: options.to });
  const progress = new Progress('replay', total);
  try {
    let cursor: string | undefined;
    let done = 0;
    for (;;) {
      const page = await api.get<{ items: LedgerEntry[]; nextCursor: string | null }>('/audit/history', { order: 'oldest', limit: PAGE, recordedTo: options.to, cursor });
      for (const entry of page.items) replay.add(entry);
      done += page.items.length;
      progress.update(done, Math.max(total, done));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
  } finally {
    progress.stop();
  }
}

async function replayFromKafka(options: ReplayOptions, replay: LedgerReplay): Promise<{ skippedMarkers: number; undecodable: number }> {
  const brokers = (options.kafka as string).split(',').filter(Boolean);
  const reading = new Progress('read ', 0);
  let ledger;
  try {
    ledger = await readLedgerFromKafka({ brokers, topicPrefix: options.topicPrefix, onProgress: (read, total) => reading.update(read, total) });
  } finally {
    reading.stop();
  }
  const to = options.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(options.to);
  const entries = ledger.entries.filter((e) => Date.parse(e.recordedAt) <= to);
  const folding = new Progress('fold ', entries.length);
  try {
    entries.forEach((entry, i) => {
      replay.add(entry);
      if (i % 5_000 === 0) folding.update(i);
    });
    folding.update(entries.length);
  } finally {
    folding.stop();
  }
  return { skippedMarkers: ledger.skippedMarkers, undecodable: ledger.undecodable.length };
}

/** `replay`: folds the whole history (HTTP API or Kafka) and prints the summary; exit code 1 unless every event folded. */
export async function replay(options: ReplayOptions): Promise<void> {
  if (options.kafka !== undefined && options.kafka.trim() === '') throw new UsageError('--kafka needs broker addresses, e.g. 127.0.0.1:9092');
  const replay = new LedgerReplay();
  const started = Date.now();
  const kafka = options.kafka !== undefined ? await replayFromKafka(options, replay) : null;
  if (kafka === null) await replayOverHttp(options, replay);
  const seconds = (Date.now() - started) / 1000;
  const summary: ReplaySummary = replay.summary(RULEBOOK_V1, options.to ?? new Date().toISOString());
  const complete = summary.unfolded.length === 0 && (kafka?.undecodable ?? 0) === 0;
  const result = { ...summary, source: kafka ? 'kafka' : 'http', seconds: Math.round(seconds * 10) / 10, eventsPerSecond: Math.round(summary.events / Math.max(seconds, 0.001)), complete, ...(kafka ?? {}) };
  if (options.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(
      `replayed ${summary.events.toLocaleString('en')} events from ${result.source} in ${result.seconds} s (${result.eventsPerSecond.toLocaleString('en')} events/s): ` +
        `${summary.streams.toLocaleString('en')} streams, ${summary.dataCenters.toLocaleString('en')} data centers`,
    );
    const rules = Object.entries(summary.findingsByRule).sort(([a], [b]) => a.localeCompare(b));
    console.log(rules.length === 0 ? `no open findings at ${summary.findingsAt}` : `open findings at ${summary.findingsAt}:\n${renderTable(['rule', 'breach', 'review', 'risk'], rules.map(([rule, s]) => [rule, s['breach'] ?? 0, s['review'] ?? 0, s['risk'] ?? 0]))}`);
    if (kafka?.skippedMarkers) console.log(`${kafka.skippedMarkers} message(s) that are not events skipped (watermark markers)`);
    if (!complete) {
      console.error(`NOT COMPLETE: ${summary.unfolded.length} event(s) could not be folded${kafka?.undecodable ? `, ${kafka.undecodable} message(s) could not be decoded` : ''}`);
      for (const u of summary.unfolded.slice(0, 10)) console.error(`  ${u.eventId} ${u.type}: ${u.reason}`);
    }
  }
  if (!complete) process.exitCode = 1;
}
