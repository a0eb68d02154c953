import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chipStockDecider, organisationDecider, purchaseOrderDecider, streamIds } from '@chip-ledger/domain';
import { CommandExecutor, type CommandMeta, type CommandOutcome } from '@chip-ledger/command-side';
import { loadCatalogEntry } from '../chip-models/chip-models.commands';
import { assertActsFor, loadAccessibleDataCenter, loadAccessiblePurchaseOrder } from '../shared/access';
import { PROCUREMENT } from '../shared/service-name';
import type { CancelPurchaseOrderRequest, PlacePurchaseOrderRequest } from './purchase-orders.dto';

export class PlacePurchaseOrderCommand {
  constructor(readonly request: PlacePurchaseOrderRequest, readonly meta: CommandMeta) {}
}
export class CancelPurchaseOrderCommand {
  constructor(readonly purchaseOrderId: string, readonly request: CancelPurchaseOrderRequest, readonly meta: CommandMeta) {}
}

@CommandHandler(PlacePurchaseOrderCommand)
export class PlacePurchaseOrderHandler implements ICommandHandler<PlacePurchaseOrderCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ request, meta }: PlacePurchaseOrderCommand): Promise<CommandOutcome> {
    const streamId = streamIds.purchaseOrder(request.purchaseOrderId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      assertActsFor(meta.actor, request.buyerOrganisationId, 'buyerOrganisationId');
      const { facts } = await loadAccessibleDataCenter(uow, meta.actor, request.dataCenterId);
      const buyer = await uow.load(organisationDecider, streamIds.organisation(request.buyerOrganisationId));
      const modelIds = [...new Set(request.lines.map((line) => line.modelId))];
      const known = await Promise.all(modelIds.map(async (id) => ((await loadCatalogEntry(uow, id)).has(id) ? id : null)));
      const state = await uow.load(purchaseOrderDecider, streamId);
      const events = purchaseOrderDecider.decide(
        {
          type: 'PlacePurchaseOrder',
          purchaseOrderId: request.purchaseOrderId,
          buyerOrganisationId: request.buyerOrganisationId,
          dataCenterId: request.dataCenterId,
          supplier: request.supplier,
          lines: request.lines.map(({ modelId, quantity }) => ({ modelId, quantity })),
          occurredAt: uow.metadata.occurredAt,
          context: {
            dataCenter: facts,
            buyerOrganisationRegistered: buyer.status === 'registered',
            knownModelIds: known.filter((id): id is string => id !== null),
          },
        },
        state,
      );
      uow.record(streamId, events);
    });
  }
}

@CommandHandler(CancelPurchaseOrderCommand)
export class CancelPurchaseOrderHandler implements ICommandHandler<CancelPurchaseOrderCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ purchaseOrderId, request, meta }: CancelPurchaseOrderCommand): Promise<CommandOutcome> {
    const streamId = streamIds.purchaseOrder(purchaseOrderId);
    return this.executor.run(PROCUREMENT, streamId, meta, request.occurredAt, async (uow) => {
      const order = await loadAccessiblePurchaseOrder(uow, meta.actor, purchaseOrderId);
      // What has been delivered under the order, per model: only the rest can be cancelled.
      const deliveredByModel: Record<string, number> = {};
      let lastDelivery: { occurredAt: string; eventId: string } | null = null;
      for (const modelId of new Set(order.lines.map((line) => line.modelId))) {
        const stock = await uow.load(chipStockDecider, streamIds.chipStock(order.dataCenterId, modelId));
        deliveredByModel[modelId] = stock.deliveredByPurchaseOrder[purchaseOrderId] ?? 0;
        const last = stock.lastDeliveryByPurchaseOrder[purchaseOrderId];
        if (last !== undefined && (lastDelivery === null || Date.parse(last.occurredAt) > Date.parse(lastDelivery.occurredAt))) lastDelivery = last;
      }
      const events = purchaseOrderDecider.decide(
        { type: 'CancelPurchaseOrder', purchaseOrderId, reason: request.reason, occurredAt: uow.metadata.occurredAt, context: { deliveredByModel, lastDelivery } },
        order,
      );
      uow.record(streamId, events);
    });
  }
}
