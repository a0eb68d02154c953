import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { dataCenterDecider, organisationDecider, streamIds } from '@chip-ledger/domain';
import { CommandExecutor, type CommandMeta, type CommandOutcome } from '@chip-ledger/command-side';
import { assertActsFor, loadAccessibleDataCenter } from '../shared/access';
import { PROCUREMENT } from '../shared/service-name';
import type { RegisterDataCenterRequest, ReportConstructionProgressRequest, ReportStateFundingRequest } from './data-centers.dto';

export class RegisterDataCenterCommand {
  constructor(readonly request: RegisterDataCenterRequest, readonly meta: CommandMeta) {}
}
export class ReportConstructionProgressCommand {
  constructor(readonly dataCenterId: string, readonly request: ReportConstructionProgressRequest, readonly meta: CommandMeta) {}
}
export class ReportStateFundingCommand {
  constructor(readonly dataCenterId: string, readonly request: ReportStateFundingRequest, readonly meta: CommandMeta) {}
}

@CommandHandler(RegisterDataCenterCommand)
export class RegisterDataCenterHandler implements ICommandHandler<RegisterDataCenterCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ request, meta }: RegisterDataCenterCommand): Promise<CommandOutcome> {
    const streamId = streamIds.dataCenter(request.dataCenterId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      assertActsFor(meta.actor, request.ownerOrganisationId, 'ownerOrganisationId');
      const owner = await uow.load(organisationDecider, streamIds.organisation(request.ownerOrganisationId));
      const state = await uow.load(dataCenterDecider, streamId);
      const events = dataCenterDecider.decide(
        {
          type: 'RegisterDataCenter',
          dataCenterId: request.dataCenterId,
          name: request.name,
          ownerOrganisationId: request.ownerOrganisationId,
          country: request.country.toUpperCase(),
          region: request.region,
          occurredAt: uow.metadata.occurredAt,
          context: { ownerOrganisationRegistered: owner.status === 'registered' },
        },
        state,
      );
      uow.record(streamId, events);
    });
  }
}

@CommandHandler(ReportConstructionProgressCommand)
export class ReportConstructionProgressHandler implements ICommandHandler<ReportConstructionProgressCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ dataCenterId, request, meta }: ReportConstructionProgressCommand): Promise<CommandOutcome> {
    const streamId = streamIds.dataCenter(dataCenterId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const { state } = await loadAccessibleDataCenter(uow, meta.actor, dataCenterId);
      const events = dataCenterDecider.decide(
        { type: 'ReportConstructionProgress', dataCenterId, completionPercent: request.completionPercent, occurredAt: uow.metadata.occurredAt },
        state,
      );
      uow.record(streamId, events);
    });
  }
}

@CommandHandler(ReportStateFundingCommand)
export class ReportStateFundingHandler implements ICommandHandler<ReportStateFundingCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ dataCenterId, request, meta }: ReportStateFundingCommand): Promise<CommandOutcome> {
    const streamId = streamIds.dataCenter(dataCenterId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const { state } = await loadAccessibleDataCenter(uow, meta.actor, dataCenterId);
      const events = dataCenterDecider.decide(
        { type: 'ReportStateFunding', dataCenterId, funder: request.funder ?? null, reference: request.reference ?? null, occurredAt: uow.metadata.occurredAt },
        state,
      );
      uow.record(streamId, events);
    });
  }
}
