import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { poolOf } from '@chip-ledger/persistence';
import { DataSource } from 'typeorm';
import { AuditReadController, EventByIdController, RulesController } from './http/audit-read.controller';
import { AUDIT_QUERY_HANDLERS, auditReadOptionProviders, type AuditReadOptions } from './queries/audit-read.handlers';
import { AsOfEventCache } from './store/as-of-cache';
import { LedgerReader } from './store/ledger-reader';

/**
 * The auditors' read side: GET /audit/** (histories, as-of, late facts), GET /events/{eventId} and GET /rules. It reads
 * the ledger's event stores (the procurement, rental and audit schemas of one PostgreSQL database) and folds them with
 * the pure libraries; it never reads projection tables. Every GET asks the QueryBus (./queries/audit-read.handlers.ts).
 * It reads through the app's TypeORM DataSource (@nestjs/typeorm's): raw SQL on its pool, the one pool of the process,
 * because a history page is one UNION over the three stores' events tables, instants formatted by PostgreSQL, and a
 * replay pages through the whole ledger this way (the benchmarks' 1M replay: ADR 0020, ADR 0024).
 */
@Module({})
export class AuditReadModule {
  static forRoot(options: AuditReadOptions & { providers?: Provider[] } = {}): DynamicModule {
    const { providers, ...readOptions } = options;
    return {
      module: AuditReadModule,
      imports: [CqrsModule],
      controllers: [AuditReadController, EventByIdController, RulesController],
      providers: [
        ...(providers ?? []),
        ...auditReadOptionProviders(readOptions),
        { provide: LedgerReader, inject: [DataSource], useFactory: (dataSource: DataSource) => new LedgerReader(poolOf(dataSource)) },
        { provide: AsOfEventCache, inject: [LedgerReader], useFactory: (reader: LedgerReader) => new AsOfEventCache(reader) },
        ...AUDIT_QUERY_HANDLERS,
      ],
    };
  }
}
