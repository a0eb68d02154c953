import { type DynamicModule, Module } from '@nestjs/common';
import { RentalModule } from '@chip-ledger/rental';
import { CLOCK, systemClock } from '@chip-ledger/command-side';
import { EVENT_STORE, PROCUREMENT_EVENT_STORE } from '@chip-ledger/event-store';
import { requireDistributed, type AppConfig } from '@chip-ledger/http';
import { eventStoreProvider, serviceInfrastructure } from '@chip-ledger/infrastructure';

/**
 * rental-service: the rental context on its own schema, relayed to chipledger.rental.v1. It reads the
 * procurement schema (never writes it) for the facts its invariants need: see docs/decisions.
 */
@Module({})
export class RentalServiceModule {
  static forRoot(appConfig: AppConfig): DynamicModule {
    const config = requireDistributed(appConfig, 'rental-service');
    return {
      module: RentalServiceModule,
      imports: [
        ...serviceInfrastructure({ config, databaseUrl: config.databaseUrl, service: 'rental-service', relayedContexts: ['rental'] }),
        RentalModule.forRoot({
          providers: [eventStoreProvider(EVENT_STORE, 'rental'), eventStoreProvider(PROCUREMENT_EVENT_STORE, 'procurement'), { provide: CLOCK, useValue: systemClock }],
        }),
      ],
    };
  }
}
