import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandExecutor } from '@chip-ledger/command-side';
import { RecordAuditFactHandler } from './audits/audits.commands';
import { AuditsController } from './audits/audits.controller';

/**
 * The audit context's command side: auditors' facts per data center (audits opened and closed, notes,
 * findings acknowledged, case-by-case reviews decided). The app provides EVENT_STORE (the audit schema's
 * store, written), CLOCK, and PROCUREMENT_EVENT_STORE (the procurement schema's store, only read: data
 * centers).
 */
@Module({})
export class AuditModule {
  static forRoot(infrastructure: { providers: Provider[] }): DynamicModule {
    return {
      module: AuditModule,
      imports: [CqrsModule],
      controllers: [AuditsController],
      providers: [...infrastructure.providers, CommandExecutor, RecordAuditFactHandler],
    };
  }
}
