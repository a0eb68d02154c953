import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { exportLicenceDecider, organisationDecider, streamIds, type ExportLicenceCommand } from '@chip-ledger/domain';
import { CommandExecutor, type CommandMeta, type CommandOutcome, type UnitOfWork } from '@chip-ledger/command-side';
import { loadCatalogEntry } from '../chip-models/chip-models.commands';
import { PROCUREMENT } from '../shared/service-name';
import type { AmendExportLicenceRequest, IssueExportLicenceRequest, LicenceStatusChangeRequest, RecordRemittanceRequest } from './export-licences.dto';

export class IssueExportLicenceCommand {
  constructor(readonly request: IssueExportLicenceRequest, readonly meta: CommandMeta) {}
}
export class AmendExportLicenceCommand {
  constructor(readonly licenceId: string, readonly request: AmendExportLicenceRequest, readonly meta: CommandMeta) {}
}
export class ChangeLicenceStatusCommand {
  constructor(
    readonly licenceId: string,
    readonly change: 'SuspendExportLicence' | 'ReinstateExportLicence' | 'RevokeExportLicence',
    readonly request: LicenceStatusChangeRequest,
    readonly meta: CommandMeta,
  ) {}
}
export class RecordRemittanceCommand {
  constructor(readonly licenceId: string, readonly request: RecordRemittanceRequest, readonly meta: CommandMeta) {}
}

async function knownModels(uow: UnitOfWork, modelIds: readonly string[] | undefined): Promise<string[]> {
  const ids = [...new Set(modelIds ?? [])];
  const found = await Promise.all(ids.map(async (id) => ((await loadCatalogEntry(uow, id)).has(id) ? id : null)));
  return found.filter((id): id is string => id !== null);
}

@CommandHandler(IssueExportLicenceCommand)
export class IssueExportLicenceHandler implements ICommandHandler<IssueExportLicenceCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ request, meta }: IssueExportLicenceCommand): Promise<CommandOutcome> {
    const streamId = streamIds.exportLicence(request.licenceId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const consignee = await uow.load(organisationDecider, streamIds.organisation(request.consigneeOrganisationId));
      const state = await uow.load(exportLicenceDecider, streamId);
      const command: ExportLicenceCommand = {
        type: 'IssueExportLicence',
        licenceId: request.licenceId,
        licenceNumber: request.licenceNumber,
        exporter: request.exporter,
        consigneeOrganisationId: request.consigneeOrganisationId,
        destinationCountry: request.destinationCountry.toUpperCase(),
        modelIds: request.modelIds,
        authorisedQuantity: request.authorisedQuantity,
        validFrom: new Date(request.validFrom).toISOString(),
        validTo: new Date(request.validTo).toISOString(),
        conditions: { revenueSharePercent: request.conditions.revenueSharePercent },
        occurredAt: uow.metadata.occurredAt,
        context: { consigneeOrganisationRegistered: consignee.status === 'registered', knownModelIds: await knownModels(uow, request.modelIds) },
      };
      uow.record(streamId, exportLicenceDecider.decide(command, state));
    });
  }
}

@CommandHandler(AmendExportLicenceCommand)
export class AmendExportLicenceHandler implements ICommandHandler<AmendExportLicenceCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ licenceId, request, meta }: AmendExportLicenceCommand): Promise<CommandOutcome> {
    const streamId = streamIds.exportLicence(licenceId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const state = await uow.load(exportLicenceDecider, streamId);
      const { changes } = request;
      const command: ExportLicenceCommand = {
        type: 'AmendExportLicence',
        licenceId,
        changes: {
          ...(changes.modelIds ? { modelIds: changes.modelIds } : {}),
          ...(changes.authorisedQuantity !== undefined ? { authorisedQuantity: changes.authorisedQuantity } : {}),
          ...(changes.validFrom ? { validFrom: new Date(changes.validFrom).toISOString() } : {}),
          ...(changes.validTo ? { validTo: new Date(changes.validTo).toISOString() } : {}),
          ...(changes.conditions ? { conditions: { revenueSharePercent: changes.conditions.revenueSharePercent } } : {}),
        },
        reason: request.reason,
        occurredAt: uow.metadata.occurredAt,
        context: { knownModelIds: await knownModels(uow, changes.modelIds) },
      };
      uow.record(streamId, exportLicenceDecider.decide(command, state));
    });
  }
}

@CommandHandler(ChangeLicenceStatusCommand)
export class ChangeLicenceStatusHandler implements ICommandHandler<ChangeLicenceStatusCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ licenceId, change, request, meta }: ChangeLicenceStatusCommand): Promise<CommandOutcome> {
    const streamId = streamIds.exportLicence(licenceId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const state = await uow.load(exportLicenceDecider, streamId);
      uow.record(streamId, exportLicenceDecider.decide({ type: change, licenceId, reason: request.reason, occurredAt: uow.metadata.occurredAt }, state));
    });
  }
}

@CommandHandler(RecordRemittanceCommand)
export class RecordRemittanceHandler implements ICommandHandler<RecordRemittanceCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ licenceId, request, meta }: RecordRemittanceCommand): Promise<CommandOutcome> {
    const streamId = streamIds.exportLicence(licenceId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const state = await uow.load(exportLicenceDecider, streamId);
      const command: ExportLicenceCommand = {
        type: 'RecordRevenueShareRemittance',
        licenceId,
        deliveryIds: request.deliveryIds,
        amountUsd: request.amountUsd,
        reference: request.reference,
        occurredAt: uow.metadata.occurredAt,
      };
      uow.record(streamId, exportLicenceDecider.decide(command, state));
    });
  }
}
