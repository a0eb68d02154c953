import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chipCatalogDecider, chipStockDecider, organisationDecider, rentalDecider, streamIds } from '@chip-ledger/domain';
import { CommandExecutor, type CommandMeta, type CommandOutcome } from '@chip-ledger/command-side';
import { loadAccessibleProvider, loadAccessibleRental } from '../shared/access';
import { RENTAL } from '../shared/service-name';
import { PROCUREMENT_EVENT_STORE, type EventStore } from '@chip-ledger/event-store';
import type { EndRentalRequest, ExtendRentalRequest, StartRentalRequest } from './rentals.dto';

export class StartRentalCommand {
  constructor(readonly request: StartRentalRequest, readonly meta: CommandMeta) {}
}
export class ExtendRentalCommand {
  constructor(readonly rentalId: string, readonly request: ExtendRentalRequest, readonly meta: CommandMeta) {}
}
export class EndRentalCommand {
  constructor(readonly rentalId: string, readonly request: EndRentalRequest, readonly meta: CommandMeta) {}
}

/**
 * The provider, its installed chips, the tenant and the chip model are procurement's facts: read from its
 * store, never locked (see UnitOfWork.loadForeign): a removal recorded while this command runs is not seen.
 * Chips already rented to someone else still count as installed, so the same chips can be rented twice.
 */
@CommandHandler(StartRentalCommand)
export class StartRentalHandler implements ICommandHandler<StartRentalCommand, CommandOutcome> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PROCUREMENT_EVENT_STORE) private readonly procurement: EventStore,
  ) {}

  execute({ request, meta }: StartRentalCommand): Promise<CommandOutcome> {
    const streamId = streamIds.rental(request.rentalId);
    return this.executor.run(RENTAL, streamId, meta, request.occurredAt, async (uow) => {
      const provider = await loadAccessibleProvider(uow, this.procurement, meta.actor, request.providerDataCenterId);
      const [tenant, catalog, stock, rental] = await Promise.all([
        uow.loadForeign(this.procurement, organisationDecider, streamIds.organisation(request.tenantOrganisationId)),
        // Each chip model is its own stream in procurement (chip-model-{id}), so one entry is enough.
        uow.loadForeign(this.procurement, chipCatalogDecider, streamIds.chipModel(request.modelId)),
        uow.loadForeign(this.procurement, chipStockDecider, streamIds.chipStock(request.providerDataCenterId, request.modelId)),
        uow.load(rentalDecider, streamId),
      ]);
      const events = rentalDecider.decide(
        {
          type: 'StartRental',
          rentalId: request.rentalId,
          providerDataCenterId: request.providerDataCenterId,
          tenantOrganisationId: request.tenantOrganisationId,
          modelId: request.modelId,
          chipCount: request.chipCount,
          purpose: request.purpose,
          periodStart: new Date(request.periodStart).toISOString(),
          periodEnd: new Date(request.periodEnd).toISOString(),
          occurredAt: uow.metadata.occurredAt,
          context: {
            providerDataCenter: provider,
            tenantOrganisationRegistered: tenant.status === 'registered',
            chipModelKnown: catalog.has(request.modelId),
            installedAtProvider: stock.installed,
          },
        },
        rental,
      );
      uow.record(streamId, events);
    });
  }
}

@CommandHandler(ExtendRentalCommand)
export class ExtendRentalHandler implements ICommandHandler<ExtendRentalCommand, CommandOutcome> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PROCUREMENT_EVENT_STORE) private readonly procurement: EventStore,
  ) {}

  execute({ rentalId, request, meta }: ExtendRentalCommand): Promise<CommandOutcome> {
    const streamId = streamIds.rental(rentalId);
    return this.executor.run(RENTAL, streamId, meta, request.occurredAt, async (uow) => {
      const rental = await loadAccessibleRental(uow, this.procurement, meta.actor, rentalId);
      const events = rentalDecider.decide(
        { type: 'ExtendRental', rentalId, newPeriodEnd: new Date(request.newPeriodEnd).toISOString(), occurredAt: uow.metadata.occurredAt },
        rental,
      );
      uow.record(streamId, events);
    });
  }
}

@CommandHandler(EndRentalCommand)
export class EndRentalHandler implements ICommandHandler<EndRentalCommand, CommandOutcome> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PROCUREMENT_EVENT_STORE) private readonly procurement: EventStore,
  ) {}

  execute({ rentalId, request, meta }: EndRentalCommand): Promise<CommandOutcome> {
    const streamId = streamIds.rental(rentalId);
    return this.executor.run(RENTAL, streamId, meta, request.occurredAt, async (uow) => {
      const rental = await loadAccessibleRental(uow, this.procurement, meta.actor, rentalId);
      uow.record(streamId, rentalDecider.decide({ type: 'EndRental', rentalId, reason: request.reason ?? null, occurredAt: uow.metadata.occurredAt }, rental));
    });
  }
}
