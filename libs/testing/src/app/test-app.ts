import type { INestApplication, DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureHttpApp, DEVELOPMENT_JWT_SECRET, HTTP_APP_OPTIONS, loadConfig, mintAccessToken, type AppConfig } from '@chip-ledger/http';
import type { Role } from '@chip-ledger/domain';

/**
 * A service's real root module on a real database, served in-process (supertest talks to its HTTP server).
 * Only the configuration differs from production: the test's own database, and request lines logged only for
 * errors (LOG_LEVEL=error unless `env` says otherwise). `load` reads a service's own settings too (default: the
 * shared ones).
 */
export async function startTestApp<C extends AppConfig = AppConfig>(
  rootModule: (config: C) => DynamicModule,
  env: Record<string, string | undefined>,
  load: (env: Record<string, string | undefined>) => C = loadConfig as (env: Record<string, string | undefined>) => C,
): Promise<{ app: INestApplication; config: C }> {
  const config = load({ LOG_LEVEL: 'error', ...env, PORT: '0' });
  const moduleRef = await Test.createTestingModule({ imports: [rootModule(config)] }).compile();
  const app = moduleRef.createNestApplication({ ...HTTP_APP_OPTIONS, logger: ['error'], bodyParser: false });
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
  /** Per stream: the highest version written, and its part as the command side answered it (signed). */
  private readonly latest = new Map<string, { version: number; part: string }>();

  record(position: string | null | undefined): string {
    for (const part of (position ?? '').split(',').filter(Boolean)) {
      const match = /^(.+)@(\d+)(~.*)?$/.exec(part);
      if (!match) throw new Error(`not a position token part: ${part}`);
      const [streamId, version] = [match[1], Number(match[2])];
      if (version >= (this.latest.get(streamId)?.version ?? 0)) this.latest.set(streamId, { version, part });
    }
    return position ?? '';
  }

  token(): string {
    return [...this.latest.values()].map(({ part }) => part).join(',');
  }
}
