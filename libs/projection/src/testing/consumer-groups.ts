import type { Kafka } from 'kafkajs';

/** What the broker says of consumer groups, through a short-lived admin client. */
export async function withAdmin<T>(kafka: Kafka, work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The ids of the groups starting with `prefix`, sorted. */
export const groupIds = (kafka: Kafka, prefix: string): Promise<string[]> =>
  withAdmin(kafka, async (admin) => (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix)).sort());

/** A group's state: 'Stable' while members consume, 'Dead' when it has none (or never existed). */
export const groupState = (kafka: Kafka, groupId: string): Promise<string> => withAdmin(kafka, async (admin) => (await admin.describeGroups([groupId])).groups[0].state);
