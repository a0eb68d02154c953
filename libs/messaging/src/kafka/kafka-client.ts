import { Kafka, logLevel, type logCreator, type RetryOptions } from 'kafkajs';

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Default: WARN. kafkajs logs every failed reconnect at ERROR, which floods the log during an outage. */
  readonly logLevel?: logLevel;
  readonly logCreator?: logCreator;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /**
   * Retries of the client itself (connecting to a broker, metadata). Bounded so an unreachable cluster
   * surfaces as an error within seconds: the relay and consumers own the longer backoff. kafkajs' default
   * (5 retries up to 30 s each) keeps a single send waiting for about half a minute.
   */
  readonly retry?: RetryOptions;
}

/** A kafkajs client with settings that suit the relay and the consumers; one per process is enough. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: options.logLevel ?? logLevel.WARN,
    logCreator: options.logCreator,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    retry: options.retry ?? { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
}
