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
 * Read-your-writes across several writes (ADR 0019): a write's `position` covers every fact recorded before it, so
 * a later write's token covers an earlier one's heads. But a viewer or operator waits only on tokens signed for its
 * own organisation, and a token says nothing readable of whom it was signed for: so every token is kept (they are
 * ~50 characters; the query API waits for the highest head per context among those the reader may wait on), and
 * only when the combined token grows long are the oldest tokens that a newer one covers dropped.
 */
export class WrittenPositions {
  private kept: { token: string; heads: Map<string, number> }[] = [];

  record(position: string | null | undefined): string {
    for (const token of (position ?? '').split(',').filter(Boolean)) {
      if (this.kept.some((k) => k.token === token)) continue;
      this.kept.push({ token, heads: headsOf(token) });
    }
    for (let i = 0; this.token().length > MAX_COMBINED && i < this.kept.length; ) {
      if (this.kept.slice(i + 1).some((later) => covers(later.heads, this.kept[i].heads))) this.kept.splice(i, 1);
      else i++;
    }
    return position ?? '';
  }

  token(): string {
    return this.kept.map(({ token }) => token).join(',');
  }
}

/** Under the query API's 4,000 characters. */
const MAX_COMBINED = 3_000;

function headsOf(token: string): Map<string, number> {
  const match = /^([a-z]:\d+(?:\.[a-z]:\d+)*)(~.*)?$/.exec(token);
  if (!match) throw new Error(`not a ledger position token: ${token}`);
  return new Map(match[1].split('.').map((entry) => [entry[0], Number(entry.slice(2))]));
}

/** Whether every head of `b` is at most `a`'s. */
const covers = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean => [...b].every(([context, head]) => head <= (a.get(context) ?? 0));
