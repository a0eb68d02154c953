import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { AuditReadController, EventByIdController, RulesController } from './http/audit-read.controller';
import { AUDIT_QUERY_HANDLERS, AUDIT_READ_OPTIONS, type AuditReadOptions } from './queries/audit-queries';
import { AsOfEventCache } from './store/as-of-cache';
import { AUDIT_READ_DB, LedgerReader } from './store/ledger-reader';

/**
 * The auditors' read side: GET /audit/** (histories, as-of, late facts), GET /events/{eventId} and GET /rules. It reads
 * the ledger's event stores (the procurement, rental and audit schemas of one PostgreSQL database) and folds them with
 * the pure libraries; it never reads projection tables. The app provides AUDIT_READ_DB (a `pg` pool on that database),
 * here or through `imports`.
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
        { provide: AUDIT_READ_OPTIONS, useValue: readOptions },
        { provide: LedgerReader, inject: [AUDIT_READ_DB], useFactory: (pool: Pool) => new LedgerReader(pool) },
        { provide: AsOfEventCache, inject: [LedgerReader], useFactory: (reader: LedgerReader) => new AsOfEventCache(reader) },
        ...AUDIT_QUERY_HANDLERS,
      ],
    };
  }
}
