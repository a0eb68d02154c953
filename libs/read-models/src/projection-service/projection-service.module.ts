import { type DynamicModule, Module } from '@nestjs/common';
import { highestHeads, parsePositionToken, type LedgerPositionPart } from '@chip-ledger/http';
import type { ReadYourWritesToken } from '@chip-ledger/projection';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueryApiModule } from '../query-api/query-api.module';
import { READ_MODEL_ENTITIES } from '../registry';
import { ACTIVE_SCHEMAS, PROJECTION_CHANGES, READ_YOUR_WRITES, type ActiveSchemas, type QueryApiOptions, type ReadYourWrites } from '../query-api/tokens';
import { PROJECTION_FEED, ProjectionEngineHost, type ProjectionFeed } from './projection-engine.provider';
import { projectionMetricsProvider } from './projection-metrics.provider';
import { ProjectionsAdminController } from './projections-admin.controller';

@Module({})
class ProjectionEngineModule {}

/**
 * The read side of a deployable, its one feature module: the projection engine over the chosen feed and every read
 * model of the registry, the dashboards' query API and the admin endpoints. Needs the app's TypeORM DataSource
 * (@nestjs/typeorm, which the read models' entities join) and HTTP platform.
 */
@Module({})
export class ProjectionServiceModule {
  static forRoot(feed: ProjectionFeed, api: Pick<QueryApiOptions, 'developmentSignIn'> = {}): DynamicModule {
    const engine: DynamicModule = {
      module: ProjectionEngineModule,
      providers: [{ provide: PROJECTION_FEED, useValue: feed }, ProjectionEngineHost, projectionMetricsProvider],
      exports: [ProjectionEngineHost],
    };
    return {
      module: ProjectionServiceModule,
      imports: [
        // The read models' entities join the app's DataSource (autoLoadEntities).
        TypeOrmModule.forFeature([...READ_MODEL_ENTITIES]),
        engine,
        QueryApiModule.forRoot({
          ...api,
          imports: [engine],
          providers: [
            { provide: ACTIVE_SCHEMAS, inject: [ProjectionEngineHost], useFactory: (host: ProjectionEngineHost): ActiveSchemas => ({ schemaOf: (name) => host.engine.activeSchema(name) }) },
            {
              provide: READ_YOUR_WRITES,
              inject: [ProjectionEngineHost],
              useFactory: (host: ProjectionEngineHost): ReadYourWrites => ({
                // The command side's position token (ADR 0019): the heads of the context stores, 'p:<n>.r:<n>.a:<n>', the
                // highest per context when several are joined; deprecated parts '<streamId>@<version>' wait on their stream.
                waitFor: async (token, timeoutMs, projection) => {
                  const parts = parsePositionToken(token);
                  if (!parts) return false;
                  const ledger = parts.filter((part): part is LedgerPositionPart => part.kind === 'ledger');
                  const tokens: ReadYourWritesToken[] = parts.flatMap((part) => (part.kind === 'stream' ? [{ streamId: part.streamId, version: part.version }] : []));
                  if (ledger.length > 0) tokens.push({ heads: highestHeads(ledger) });
                  return host.engine.waitFor(tokens, { timeoutMs, ...(projection ? { projection } : {}) });
                },
              }),
            },
            { provide: PROJECTION_CHANGES, inject: [ProjectionEngineHost], useFactory: (host: ProjectionEngineHost) => host.changes.asObservable() },
          ],
        }),
      ],
      controllers: [ProjectionsAdminController],
    };
  }
}
