import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { auditDecider, dataCenterDecider, dataCenterFacts, streamIds, type AuditCommand } from '@chip-ledger/domain';
import { CommandExecutor, type CommandMeta, type CommandOutcome } from '@chip-ledger/command-side';
import { AUDIT } from '../shared/service-name';
import { PROCUREMENT_EVENT_STORE, type EventStore } from '@chip-ledger/event-store';

type WithoutEnvelope<C> = C extends unknown ? Omit<C, 'dataCenterId' | 'occurredAt' | 'context'> : never;

/** An auditor's fact as the request states it; the handler adds the data center, the date and the context. */
export type AuditFact = WithoutEnvelope<AuditCommand>;

/** Every auditor's fact has the same shape around it (one data center, one stream), so one command carries them all. */
export class RecordAuditFactCommand {
  constructor(
    readonly dataCenterId: string,
    readonly fact: AuditFact,
    readonly occurredAt: string | undefined,
    readonly meta: CommandMeta,
  ) {}
}

/**
 * Auditors see every organisation, so the role is the only access check. Whether the data center exists
 * (and since when) is procurement's fact, read from its store; the decider refuses an unknown one.
 */
@CommandHandler(RecordAuditFactCommand)
export class RecordAuditFactHandler implements ICommandHandler<RecordAuditFactCommand, CommandOutcome> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PROCUREMENT_EVENT_STORE) private readonly procurement: EventStore,
  ) {}

  execute({ dataCenterId, fact, occurredAt, meta }: RecordAuditFactCommand): Promise<CommandOutcome> {
    const streamId = streamIds.audit(dataCenterId);
    return this.executor.run(AUDIT, streamId, meta, occurredAt, async (uow) => {
      const [dataCenter, state] = await Promise.all([
        uow.loadForeign(this.procurement, dataCenterDecider, streamIds.dataCenter(dataCenterId)),
        uow.load(auditDecider, streamId),
      ]);
      const command: AuditCommand = { ...fact, dataCenterId, occurredAt: uow.metadata.occurredAt, context: { dataCenter: dataCenterFacts(dataCenter) } };
      uow.record(streamId, auditDecider.decide(command, state));
    });
  }
}
