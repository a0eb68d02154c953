import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organisationDecider, streamIds, type OrganisationCommand } from '@chip-ledger/domain';
import { CommandExecutor, type CommandMeta, type CommandOutcome } from '@chip-ledger/command-side';
import { PROCUREMENT } from '../shared/service-name';
import type { RegisterOrganisationRequest, RestrictedPartyListingRequest } from './organisations.dto';

export class RegisterOrganisationCommand {
  constructor(readonly request: RegisterOrganisationRequest, readonly meta: CommandMeta) {}
}
export class ChangeRestrictedPartyListingCommand {
  constructor(
    readonly organisationId: string,
    readonly change: 'ListRestrictedParty' | 'DelistRestrictedParty',
    readonly request: RestrictedPartyListingRequest,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(RegisterOrganisationCommand)
export class RegisterOrganisationHandler implements ICommandHandler<RegisterOrganisationCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ request, meta }: RegisterOrganisationCommand): Promise<CommandOutcome> {
    const streamId = streamIds.organisation(request.organisationId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const state = await uow.load(organisationDecider, streamId);
      const command: OrganisationCommand = {
        type: 'RegisterOrganisation',
        organisationId: request.organisationId,
        name: request.name,
        headquartersCountry: request.headquartersCountry.toUpperCase(),
        ultimateParentHeadquartersCountry: request.ultimateParentHeadquartersCountry.toUpperCase(),
        occurredAt: uow.metadata.occurredAt,
      };
      uow.record(streamId, organisationDecider.decide(command, state));
    });
  }
}

@CommandHandler(ChangeRestrictedPartyListingCommand)
export class ChangeRestrictedPartyListingHandler implements ICommandHandler<ChangeRestrictedPartyListingCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organisationId, change, request, meta }: ChangeRestrictedPartyListingCommand): Promise<CommandOutcome> {
    const streamId = streamIds.organisation(organisationId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const state = await uow.load(organisationDecider, streamId);
      const command: OrganisationCommand = {
        type: change,
        organisationId,
        list: 'US-ENTITY-LIST',
        reference: request.reference ?? null,
        occurredAt: uow.metadata.occurredAt,
      };
      uow.record(streamId, organisationDecider.decide(command, state));
    });
  }
}
