import { type DynamicModule, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { DataCentersController } from './data-centers.controller';
import { DevelopmentSignInController } from './development-sign-in.controller';
import { EventsController } from './events.controller';
import { FindingsController } from './findings.controller';
import { FleetMixController } from './fleet-mix.controller';
import { LicencesController } from './licences.controller';
import { ReadModelReader } from './read-model-reader.service';
import { RentalsController } from './rentals.controller';
import { QUERY_API_OPTIONS, type QueryApiOptions } from './tokens';

export interface QueryApiModuleOptions extends QueryApiOptions {
  /** Modules exporting the bindings below (e.g. the projection engine's module). */
  readonly imports?: ModuleMetadata['imports'];
  /**
   * Bindings the app must provide, here or through `imports`: READ_MODELS_DB (pg Pool), ACTIVE_SCHEMAS,
   * READ_YOUR_WRITES, PROJECTION_CHANGES (see ./tokens.ts).
   */
  readonly providers?: Provider[];
}

/**
 * The dashboard's query API over the read models: GET /data-centers, /data-centers/:id, /data-centers/:id/chip-mix,
 * /fleet-mix, /findings, /findings/:id, /export-licences?dataCenterId=, /export-licences/:id/balance, /rentals and the SSE
 * stream /events/stream (and, when asked, the development sign-in /dev/sign-in).
 * Authentication and problem+json come from the app's HttpPlatformModule (global guard, filter and pipe).
 */
@Module({})
export class QueryApiModule {
  static forRoot(options: QueryApiModuleOptions = {}): DynamicModule {
    const { imports, providers, ...apiOptions } = options;
    return {
      module: QueryApiModule,
      imports: imports ?? [],
      controllers: [
        DataCentersController,
        FleetMixController,
        FindingsController,
        LicencesController,
        RentalsController,
        EventsController,
        ...(apiOptions.developmentSignIn ? [DevelopmentSignInController] : []),
      ],
      providers: [...(providers ?? []), { provide: QUERY_API_OPTIONS, useValue: apiOptions }, ReadModelReader],
    };
  }
}
