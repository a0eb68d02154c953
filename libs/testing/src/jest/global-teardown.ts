import type { TestInfrastructure } from '../infrastructure/test-infrastructure';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __CHIPLEDGER_INFRA__?: TestInfrastructure }).__CHIPLEDGER_INFRA__?.stop();
}
