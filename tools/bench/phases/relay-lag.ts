import { createKafkaClient } from '@chip-ledger/messaging';
import { type Consumer, type Kafka, logLevel } from 'kafkajs';
import { percentile, sleep, sortedCopy } from '../lib/stats';

export interface RelayLagResult {
  readonly events: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** From the last measured command's answer to the consumer receiving the last event. */
  readonly drainMs: number;
  readonly complete: boolean;
}

/**
 * A Kafka consumer on the context's topic (a fresh group, from the beginning), recording for each event of
 * this run when it arrived. Lag of an event = time this consumer received it − its recordedAt (the message
 * timestamp, which encodeEventMessage sets to recordedAt; both clocks are this machine's). It therefore
 * covers: commit → relay poll → produce (acks=all) → fetch by a consumer.
 */
export class RelayLagProbe {
  private readonly kafka: Kafka;
  private consumer: Consumer | null = null;
  private readonly recordedAt: number[] = [];
  private readonly receivedAt: number[] = [];

  constructor(
    brokers: string[],
    private readonly topic: string,
    /** Only messages whose key (stream id) contains this belong to the run (the broker may be shared). */
    private readonly keyMarker: string,
    private readonly groupId: string,
  ) {
    this.kafka = createKafkaClient({ brokers, clientId: 'chip-ledger-bench-lag', logLevel: logLevel.NOTHING });
  }

  /** Waits for the topic (the service's relay creates it at start-up: subscribing first would auto-create it). */
  async start(timeoutMs = 30_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const deadline = Date.now() + timeoutMs;
      while (!(await admin.listTopics()).includes(this.topic)) {
        if (Date.now() > deadline) throw new Error(`topic ${this.topic} was not created within ${timeoutMs / 1000} s (is the relay running?)`);
        await sleep(200);
      }
    } finally {
      await admin.disconnect();
    }
    this.consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: 6,
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const message of batch.messages) {
          if (!message.key?.toString().includes(this.keyMarker)) continue;
          this.recordedAt.push(Number(message.timestamp));
          this.receivedAt.push(now);
        }
      },
    });
  }

  /** Events of this run received so far (any time). */
  received(): number {
    return this.recordedAt.length;
  }

  receivedSince(from: number): number {
    let n = 0;
    for (const t of this.recordedAt) if (t >= from) n++;
    return n;
  }

  async waitFor(count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.received() < count) {
      if (Date.now() > deadline) return false;
      await sleep(20);
    }
    return true;
  }

  /**
   * Waits until `expected` events recorded at or after `windowStart` arrived, then summarises the lag of the
   * events recorded in [windowStart, loadStopped].
   */
  async settle(windowStart: number, loadStopped: number, expected: number, timeoutMs: number): Promise<RelayLagResult> {
    const deadline = Date.now() + timeoutMs;
    let complete = true;
    while (this.receivedSince(windowStart) < expected) {
      if (Date.now() > deadline) {
        complete = false;
        break;
      }
      await sleep(20);
    }
    const lags: number[] = [];
    let lastArrival = loadStopped;
    for (let i = 0; i < this.recordedAt.length; i++) {
      if (this.recordedAt[i] < windowStart) continue;
      lastArrival = Math.max(lastArrival, this.receivedAt[i]);
      if (this.recordedAt[i] <= loadStopped) lags.push(this.receivedAt[i] - this.recordedAt[i]);
    }
    const sorted = sortedCopy(lags);
    return {
      events: lags.length,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
      drainMs: lastArrival - loadStopped,
      complete,
    };
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = null;
  }
}
