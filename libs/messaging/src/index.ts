export * from './topics/ledger-topics';
export * from './kafka/kafka-client';
export * from './kafka/event-message';
export * from './kafka/kafka-event-publisher';
export * from './relay/event-publisher.port';
export * from './relay/outbox-relay';
export * from './feed/event-feed.port';
export * from './feed/postgres-log-feed';
