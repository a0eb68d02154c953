import { createTestTopics, requireKafkaBrokers, uniqueTopicName } from '@chip-ledger/testing';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { ensureTopics, LEDGER_TOPICS, ledgerTopic } from './ledger-topics';

describe('ledger topics (real Kafka)', () => {
  const kafka = new Kafka({ clientId: 'topics-test', brokers: requireKafkaBrokers(), logLevel: logLevel.NOTHING });

  it('names one topic per context', () => {
    expect(LEDGER_TOPICS).toEqual({ procurement: 'chipledger.procurement.v1', rental: 'chipledger.rental.v1', audit: 'chipledger.audit.v1' });
    expect(ledgerTopic('rental')).toBe('chipledger.rental.v1');
  });

  it('creates missing topics with the asked partitions and infinite retention, and leaves existing ones alone', async () => {
    const [fresh, existing] = [uniqueTopicName('ensure'), uniqueTopicName('ensure-existing')];
    await createTestTopics([existing], 1);

    expect(await ensureTopics(kafka, [{ topic: fresh, partitions: 6 }, { topic: existing, partitions: 3 }])).toEqual({ created: [fresh], existing: [existing] });
    expect(await ensureTopics(kafka, [{ topic: fresh, partitions: 6 }])).toEqual({ created: [], existing: [fresh] });

    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [fresh, existing] });
      const partitions = Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]));
      expect(partitions).toEqual({ [fresh]: 6, [existing]: 1 });
      const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: fresh, configNames: ['retention.ms'] }] });
      expect(configs.resources[0].configEntries).toEqual([expect.objectContaining({ configName: 'retention.ms', configValue: '-1' })]);
    } finally {
      await admin.disconnect();
    }
  });
  it('creates a topic with the configured replication: its replica count and min.insync.replicas', async () => {
    // The shared broker is one node: a factor of 1 is all it can hold. The 3-broker cluster (npm run chaos) checks 3 and 2.
    const topic = uniqueTopicName('ensure-replicated');
    await ensureTopics(kafka, [{ topic, partitions: 2, replicationFactor: 1, minInsyncReplicas: 1 }]);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0].partitions.map((p) => p.replicas.length)).toEqual([1, 1]);
      const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }] });
      expect(configs.resources[0].configEntries).toEqual([expect.objectContaining({ configName: 'min.insync.replicas', configValue: '1', configSource: 1 /* TOPIC_CONFIG: set on the topic */ })]);
    } finally {
      await admin.disconnect();
    }
  });
});
