import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@chip-ledger/audit';
import { AuditReadModule } from '@chip-ledger/audit-read';
import { CLOCK, systemClock } from '@chip-ledger/command-side';
import { EVENT_STORE, PROCUREMENT_EVENT_STORE } from '@chip-ledger/event-store';
import { requireDistributed, type AppConfig } from '@chip-ledger/http';
import { eventStoreProvider, serviceInfrastructure } from '@chip-ledger/infrastructure';

/**
 * audit-service: the audit context on its own schema, relayed to chipledger.audit.v1, and the auditors' read side.
 * It reads the procurement schema (never writes it) for the facts its invariants need, and every context's schema
 * for auditors' histories and as-of questions: see docs/decisions.
 */
@Module({})
export class AuditServiceModule {
  static forRoot(appConfig: AppConfig): DynamicModule {
    const config = requireDistributed(appConfig, 'audit-service');
    return {
      module: AuditServiceModule,
      imports: [
        ...serviceInfrastructure({ config, databaseUrl: config.databaseUrl, service: 'audit-service', relayedContexts: ['audit'] }),
        AuditModule.forRoot({
          providers: [eventStoreProvider(EVENT_STORE, 'audit'), eventStoreProvider(PROCUREMENT_EVENT_STORE, 'procurement'), { provide: CLOCK, useValue: systemClock }],
        }),
        // The auditors' API: history, as-of, late facts and the rulebook, read from every context's event store in the
        // shared database (procurement's and rental's schemas as their services create them).
        AuditReadModule.forRoot(),
      ],
    };
  }
}
