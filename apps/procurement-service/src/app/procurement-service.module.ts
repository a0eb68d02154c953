import { type DynamicModule, Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@chip-ledger/command-side';
import { EVENT_STORE } from '@chip-ledger/event-store';
import { requireDistributed, type AppConfig } from '@chip-ledger/http';
import { eventStoreProvider, serviceInfrastructure } from '@chip-ledger/infrastructure';
import { ProcurementModule } from '@chip-ledger/procurement';

/** procurement-service: the procurement context on its own schema, relayed to chipledger.procurement.v1. */
@Module({})
export class ProcurementServiceModule {
  static forRoot(appConfig: AppConfig): DynamicModule {
    const config = requireDistributed(appConfig, 'procurement-service');
    return {
      module: ProcurementServiceModule,
      imports: [
        ...serviceInfrastructure({ config, databaseUrl: config.databaseUrl, service: 'procurement-service', relayedContexts: ['procurement'] }),
        ProcurementModule.forRoot({ providers: [eventStoreProvider(EVENT_STORE, 'procurement'), { provide: CLOCK, useValue: systemClock }] }),
      ],
    };
  }
}
