import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chipStockDecider, decideTransfer, purchaseOrderFacts, streamIds } from '@chip-ledger/domain';
import { CommandExecutor, type CommandMeta, type CommandOutcome } from '@chip-ledger/command-side';
import { loadCatalogEntry } from '../chip-models/chip-models.commands';
import { loadAccessibleDataCenter, loadUsablePurchaseOrder } from '../shared/access';
import { PROCUREMENT } from '../shared/service-name';
import type { RecordDeliveryRequest, RecordInstallationRequest, RecordRemovalRequest, RecordTransferRequest } from './stock.dto';

export class RecordDeliveryCommand {
  constructor(readonly dataCenterId: string, readonly request: RecordDeliveryRequest, readonly meta: CommandMeta) {}
}
export class RecordInstallationCommand {
  constructor(readonly dataCenterId: string, readonly request: RecordInstallationRequest, readonly meta: CommandMeta) {}
}
export class RecordRemovalCommand {
  constructor(readonly dataCenterId: string, readonly request: RecordRemovalRequest, readonly meta: CommandMeta) {}
}
export class RecordTransferCommand {
  constructor(readonly request: RecordTransferRequest, readonly meta: CommandMeta) {}
}

@CommandHandler(RecordDeliveryCommand)
export class RecordDeliveryHandler implements ICommandHandler<RecordDeliveryCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ dataCenterId, request, meta }: RecordDeliveryCommand): Promise<CommandOutcome> {
    const streamId = streamIds.chipStock(dataCenterId, request.modelId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const { facts } = await loadAccessibleDataCenter(uow, meta.actor, dataCenterId);
      const [catalog, order, stock] = await Promise.all([
        loadCatalogEntry(uow, request.modelId),
        loadUsablePurchaseOrder(uow, meta.actor, request.purchaseOrderId),
        uow.load(chipStockDecider, streamId),
      ]);
      const events = chipStockDecider.decide(
        {
          type: 'DeliverChips',
          deliveryId: request.deliveryId,
          dataCenterId,
          modelId: request.modelId,
          quantity: request.quantity,
          purchaseOrderId: request.purchaseOrderId,
          licenceId: request.licenceId ?? null,
          shippedFromCountry: request.shippedFromCountry.toUpperCase(),
          occurredAt: uow.metadata.occurredAt,
          context: { dataCenter: facts, chipModelKnown: catalog.has(request.modelId), purchaseOrder: purchaseOrderFacts(order, request.modelId) },
        },
        stock,
      );
      uow.record(streamId, events);
    });
  }
}

@CommandHandler(RecordInstallationCommand)
export class RecordInstallationHandler implements ICommandHandler<RecordInstallationCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ dataCenterId, request, meta }: RecordInstallationCommand): Promise<CommandOutcome> {
    const streamId = streamIds.chipStock(dataCenterId, request.modelId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const [{ facts }, stock] = await Promise.all([loadAccessibleDataCenter(uow, meta.actor, dataCenterId), uow.load(chipStockDecider, streamId)]);
      const events = chipStockDecider.decide(
        { type: 'InstallChips', dataCenterId, modelId: request.modelId, quantity: request.quantity, occurredAt: uow.metadata.occurredAt, context: { dataCenter: facts } },
        stock,
      );
      uow.record(streamId, events);
    });
  }
}

@CommandHandler(RecordRemovalCommand)
export class RecordRemovalHandler implements ICommandHandler<RecordRemovalCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ dataCenterId, request, meta }: RecordRemovalCommand): Promise<CommandOutcome> {
    const streamId = streamIds.chipStock(dataCenterId, request.modelId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const [{ facts }, stock] = await Promise.all([loadAccessibleDataCenter(uow, meta.actor, dataCenterId), uow.load(chipStockDecider, streamId)]);
      const events = chipStockDecider.decide(
        {
          type: 'RemoveChips',
          dataCenterId,
          modelId: request.modelId,
          quantity: request.quantity,
          reason: request.reason,
          occurredAt: uow.metadata.occurredAt,
          context: { dataCenter: facts },
        },
        stock,
      );
      uow.record(streamId, events);
    });
  }
}

/** Both sides of a transfer are written in one append: the chips can never be in both places, or neither. */
@CommandHandler(RecordTransferCommand)
export class RecordTransferHandler implements ICommandHandler<RecordTransferCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ request, meta }: RecordTransferCommand): Promise<CommandOutcome> {
    const sourceStreamId = streamIds.chipStock(request.fromDataCenterId, request.modelId);
    return this.executor.run(PROCUREMENT, sourceStreamId, meta, request.occurredAt, async (uow) => {
      // Operators move chips between their own organisation's data centers; admins between any.
      const from = await loadAccessibleDataCenter(uow, meta.actor, request.fromDataCenterId, 'fromDataCenterId');
      const to = await loadAccessibleDataCenter(uow, meta.actor, request.toDataCenterId, 'toDataCenterId');
      const source = await uow.load(chipStockDecider, sourceStreamId);
      const destination = await uow.load(chipStockDecider, streamIds.chipStock(request.toDataCenterId, request.modelId));
      const decision = decideTransfer(
        {
          type: 'TransferChips',
          transferId: request.transferId,
          modelId: request.modelId,
          quantity: request.quantity,
          fromDataCenterId: request.fromDataCenterId,
          toDataCenterId: request.toDataCenterId,
          permitReference: request.permitReference ?? null,
          licenceId: request.licenceId ?? null,
          occurredAt: uow.metadata.occurredAt,
          context: { from: from.facts, to: to.facts },
        },
        source,
        destination,
      );
      uow.record(decision.source.streamId, decision.source.events);
      uow.record(decision.destination.streamId, decision.destination.events);
    });
  }
}
