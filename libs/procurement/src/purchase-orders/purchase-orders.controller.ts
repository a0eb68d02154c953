import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, Roles } from '@chip-ledger/http';
import type { CommandMeta, CommandOutcome } from '@chip-ledger/command-side';
import { CommandContext, CommandEndpoints, CommandOperation } from '@chip-ledger/command-http';
import { CancelPurchaseOrderCommand, PlacePurchaseOrderCommand } from './purchase-orders.commands';
import { CancelPurchaseOrderRequest, PlacePurchaseOrderRequest } from './purchase-orders.dto';

@ApiTags('purchase orders')
@CommandEndpoints()
@Controller('purchase-orders')
@Roles('operator', 'admin')
export class PurchaseOrdersController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @CommandOperation({ id: 'placePurchaseOrder', summary: 'Place a purchase order', description: "Chips ordered for one of the buyer's data centers, one line per model." })
  place(@Body() body: PlacePurchaseOrderRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new PlacePurchaseOrderCommand(body, meta));
  }

  @Post(':purchaseOrderId/cancellation')
  @CommandOperation({ id: 'cancelPurchaseOrder', summary: 'Cancel a purchase order', description: 'Cancels what is not yet delivered.', created: 'Recorded: what was not yet delivered is cancelled' })
  @ApiIdParam('purchaseOrderId', 'Purchase order id', 'po-2025-0117')
  cancel(@Param('purchaseOrderId') purchaseOrderId: string, @Body() body: CancelPurchaseOrderRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new CancelPurchaseOrderCommand(purchaseOrderId, body, meta));
  }
}
