import { randomUUID } from 'node:crypto';
import { createKafkaClient, decodeEventMessage, eventOrigin, isMarkerMessage, LEDGER_CONTEXTS, ledgerTopic, type LedgerContext } from '@chip-ledger/messaging';
import type { IHeaders } from 'kafkajs';
import { ledgerOrder, type LedgerEntry } from '../as-of/ledger-entry';

const EVENT_ID_HEADER = 'event-id';

export interface KafkaLedgerOptions {
  readonly brokers: readonly string[];
  readonly topicPrefix?: string;
  /** Called as messages arrive: how many were read, of how many the topics held when the read began. */
  readonly onProgress?: (read: number, total: number) => void;
  /** Gives up when the topics have not been read to their end by then (ms, default 10 minutes). */
  readonly timeoutMs?: number;
}

export interface KafkaLedger {
  /** Every event, in the ledger's order (per store: global position; then recordedAt across stores). */
  readonly entries: LedgerEntry[];
  /** Messages that were not events (the relays' watermark markers, or anything without an event-id header), skipped. */
  readonly skippedMarkers: number;
  /** Messages with an event-id header whose value is not an event envelope. */
  readonly undecodable: { readonly topic: string; readonly partition: number; readonly offset: string; readonly reason: string }[];
}

const header = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined ? undefined : one.toString();
};

/**
 * Reads every context topic from its first offset to the end it had when the read began (the auditor's replay in the
 * distributed form), with a throw-away consumer group that commits nothing. Each context's events are put in its
 * store's global-position order (the `global-position` header; messages without it fall back to recordedAt, stream
 * and version), then the contexts are merged in the ledger's order.
 */
export async function readLedgerFromKafka(options: KafkaLedgerOptions): Promise<KafkaLedger> {
  const kafka = createKafkaClient({ brokers: [...options.brokers], clientId: 'chip-ledger-cli-replay' });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `chipledger.cli-replay.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const perContext = new Map<LedgerContext, LedgerEntry[]>(LEDGER_CONTEXTS.map((c) => [c, []]));
  const undecodable: KafkaLedger['undecodable'] = [];
  let skippedMarkers = 0;
  try {
    const topics = new Map<string, LedgerContext>();
    const existing = new Set(await admin.listTopics());
    for (const context of LEDGER_CONTEXTS) {
      const topic = ledgerTopic(context, options.topicPrefix);
      if (existing.has(topic)) topics.set(topic, context);
    }
    /** Per topic and partition: the offset of the last message to read (high watermark − 1); partitions with nothing to read are left out. */
    const remaining = new Map<string, bigint>();
    let total = 0;
    for (const topic of topics.keys()) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        const high = BigInt(p.high);
        const low = BigInt(p.low);
        if (high > low) {
          remaining.set(`${topic}/${p.partition}`, high - 1n);
          total += Number(high - low);
        }
      }
    }
    let read = 0;
    options.onProgress?.(0, total);
    if (remaining.size > 0) {
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics.keys()], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Kafka replay: the topics were not read to their end within ${options.timeoutMs ?? 600_000} ms`)), options.timeoutMs ?? 600_000);
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const key = `${batch.topic}/${batch.partition}`;
              const last = remaining.get(key);
              const context = topics.get(batch.topic) as LedgerContext;
              for (const message of batch.messages) {
                if (last === undefined || BigInt(message.offset) > last) break;
                read++;
                if (isMarkerMessage(message) || header(message.headers, EVENT_ID_HEADER) === undefined) {
                  skippedMarkers++;
                  continue;
                }
                try {
                  const event = decodeEventMessage(message);
                  perContext.get(context)?.push({ ...event, context, globalPosition: eventOrigin(message)?.position ?? -1 });
                } catch (error) {
                  undecodable.push({ topic: batch.topic, partition: batch.partition, offset: message.offset, reason: (error as Error).message });
                }
              }
              options.onProgress?.(read, total);
              const lastRead = batch.messages[batch.messages.length - 1];
              if (last !== undefined && lastRead !== undefined && BigInt(lastRead.offset) >= last) remaining.delete(key);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    }
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  const byPosition = (a: LedgerEntry, b: LedgerEntry): number =>
    a.globalPosition >= 0 && b.globalPosition >= 0
      ? a.globalPosition - b.globalPosition
      : Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.version - b.version);
  const entries = [...perContext.values()].flatMap((events) => events.sort(byPosition));
  // Across stores, the ledger's order; a stable sort keeps each store's order where recordedAt ties.
  entries.sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || (a.context === b.context ? 0 : ledgerOrder(a, b)));
  return { entries, skippedMarkers, undecodable };
}
