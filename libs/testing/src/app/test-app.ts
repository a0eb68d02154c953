import type { INestApplication, DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureHttpApp, DEVELOPMENT_JWT_SECRET, loadConfig, mintAccessToken, type AppConfig } from '@chip-ledger/http';
import type { Role } from '@chip-ledger/domain';

/**
 * A service's real root module on a real database, served in-process (supertest talks to its HTTP server).
 * Only the configuration differs from production: the test's own database.
 */
export async function startTestApp(
  rootModule: (config: AppConfig) => DynamicModule,
  env: Record<string, string | undefined>,
): Promise<{ app: INestApplication; config: AppConfig }> {
  const config = loadConfig({ ...env, PORT: '0' });
  const moduleRef = await Test.createTestingModule({ imports: [rootModule(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  configureHttpApp(app, { title: 'test', description: 'test' });
  await app.init();
  return { app, config };
}

/** `Authorization` header value for a token signed with the development secret the test apps use. */
export function bearer(role: Role, org: string, sub = `${role}@${org}`): string {
  return `Bearer ${mintAccessToken({ sub, org, role }, DEVELOPMENT_JWT_SECRET)}`;
}
