import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@chip-ledger/http';
import { CommandContext, CommandEndpoints, CommandResponse, type CommandMeta } from '@chip-ledger/command-side';
import { CancelPurchaseOrderCommand, PlacePurchaseOrderCommand } from './purchase-orders.commands';
import { CancelPurchaseOrderRequest, PlacePurchaseOrderRequest } from './purchase-orders.dto';

@ApiTags('purchase orders')
@CommandEndpoints()
@Controller('purchase-orders')
@Roles('operator', 'admin')
export class PurchaseOrdersController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  place(@Body() body: PlacePurchaseOrderRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new PlacePurchaseOrderCommand(body, meta));
  }

  @Post(':purchaseOrderId/cancellation')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse, description: 'Cancels what is not yet delivered.' })
  cancel(@Param('purchaseOrderId') purchaseOrderId: string, @Body() body: CancelPurchaseOrderRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new CancelPurchaseOrderCommand(purchaseOrderId, body, meta));
  }
}
