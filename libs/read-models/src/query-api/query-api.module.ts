import { type DynamicModule, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { QUERY_CONTROLLERS, QUERY_HANDLERS } from '../registry';
import { ChangeStreamController } from './change-stream.controller';
import { DevelopmentSignInController } from './development-sign-in.controller';
import { ReadModelReader } from './read-model-reader.service';
import { QUERY_API_OPTIONS, type QueryApiOptions } from './tokens';

export interface QueryApiModuleOptions extends QueryApiOptions {
  /** Modules exporting the bindings below (e.g. the projection engine's module). */
  readonly imports?: ModuleMetadata['imports'];
  /**
   * Bindings the app must provide, here or through `imports`: ACTIVE_SCHEMAS, READ_YOUR_WRITES, PROJECTION_CHANGES (see
   * ./tokens.ts). The reads go through the app's TypeORM DataSource (@nestjs/typeorm's, injected by its class).
   */
  readonly providers?: Provider[];
}

/**
 * The dashboard's query API over the read models: every read model's controllers and query handlers from the
 * registry (GET /data-centers, /data-centers/:id, /data-centers/:id/chip-mix, /fleet-mix, /findings, /findings/:id,
 * /export-licences?dataCenterId=, /export-licences/:id/balance, /rentals), each GET answered through the QueryBus; the
 * SSE stream /events/stream; and, when asked, the development sign-in /dev/sign-in.
 * Authentication and problem+json come from the app's HttpPlatformModule (global guard, filter and pipe).
 */
@Module({})
export class QueryApiModule {
  static forRoot(options: QueryApiModuleOptions = {}): DynamicModule {
    const { imports, providers, ...apiOptions } = options;
    return {
      module: QueryApiModule,
      imports: [CqrsModule, ...(imports ?? [])],
      controllers: [...QUERY_CONTROLLERS, ChangeStreamController, ...(apiOptions.developmentSignIn ? [DevelopmentSignInController] : [])],
      providers: [...(providers ?? []), { provide: QUERY_API_OPTIONS, useValue: apiOptions }, ReadModelReader, ...QUERY_HANDLERS],
    };
  }
}
