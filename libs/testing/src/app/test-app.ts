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

/**
 * Read-your-writes across several writes: remembers the newest version of every stream written (from each
 * write's `position`) and gives the combined token. A finding can depend on facts from many streams (a
 * rental on the tenant's organisation and the provider's chips), so a reader passes all it wrote.
 */
export class WrittenPositions {
  private readonly versions = new Map<string, number>();

  record(position: string | null | undefined): string {
    for (const part of (position ?? '').split(',').filter(Boolean)) {
      const at = part.lastIndexOf('@');
      const streamId = part.slice(0, at);
      const version = Number(part.slice(at + 1));
      this.versions.set(streamId, Math.max(version, this.versions.get(streamId) ?? 0));
    }
    return position ?? '';
  }

  token(): string {
    return [...this.versions].map(([streamId, version]) => `${streamId}@${version}`).join(',');
  }
}
