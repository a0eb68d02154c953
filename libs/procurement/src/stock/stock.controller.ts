import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@chip-ledger/http';
import { CommandContext, CommandEndpoints, CommandResponse, type CommandMeta } from '@chip-ledger/command-side';
import { RecordDeliveryCommand, RecordInstallationCommand, RecordRemovalCommand, RecordTransferCommand } from './stock.commands';
import { RecordDeliveryRequest, RecordInstallationRequest, RecordRemovalRequest, RecordTransferRequest } from './stock.dto';

@ApiTags('chip stock')
@CommandEndpoints()
@Controller()
@Roles('operator', 'admin')
export class StockController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post('data-centers/:dataCenterId/deliveries')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  deliver(@Param('dataCenterId') dataCenterId: string, @Body() body: RecordDeliveryRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new RecordDeliveryCommand(dataCenterId, body, meta));
  }

  @Post('data-centers/:dataCenterId/installations')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  install(@Param('dataCenterId') dataCenterId: string, @Body() body: RecordInstallationRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new RecordInstallationCommand(dataCenterId, body, meta));
  }

  @Post('data-centers/:dataCenterId/removals')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  remove(@Param('dataCenterId') dataCenterId: string, @Body() body: RecordRemovalRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new RecordRemovalCommand(dataCenterId, body, meta));
  }

  @Post('transfers')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse, description: 'Writes the source and destination stock streams atomically.' })
  transfer(@Body() body: RecordTransferRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new RecordTransferCommand(body, meta));
  }
}
