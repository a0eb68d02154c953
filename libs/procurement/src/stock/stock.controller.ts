import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, Roles } from '@chip-ledger/http';
import type { CommandMeta, CommandOutcome } from '@chip-ledger/command-side';
import { CommandContext, CommandEndpoints, CommandOperation } from '@chip-ledger/command-http';
import { RecordDeliveryCommand, RecordInstallationCommand, RecordRemovalCommand, RecordTransferCommand } from './stock.commands';
import { RecordDeliveryRequest, RecordInstallationRequest, RecordRemovalRequest, RecordTransferRequest } from './stock.dto';

@ApiTags('chip stock')
@CommandEndpoints()
@Controller()
@Roles('operator', 'admin')
export class StockController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post('data-centers/:dataCenterId/deliveries')
  @CommandOperation({ id: 'recordDelivery', summary: 'Record a delivery', description: 'Chips arrive in stock under a purchase order, optionally under a US export licence (which draws down its balance).' })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  deliver(@Param('dataCenterId') dataCenterId: string, @Body() body: RecordDeliveryRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new RecordDeliveryCommand(dataCenterId, body, meta));
  }

  @Post('data-centers/:dataCenterId/installations')
  @CommandOperation({ id: 'recordInstallation', summary: 'Record an installation', description: 'Chips move from uninstalled stock to installed.' })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  install(@Param('dataCenterId') dataCenterId: string, @Body() body: RecordInstallationRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new RecordInstallationCommand(dataCenterId, body, meta));
  }

  @Post('data-centers/:dataCenterId/removals')
  @CommandOperation({ id: 'recordRemoval', summary: 'Record a removal', description: "Installed chips are removed; 'transferred' puts them back in stock for a transfer." })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  remove(@Param('dataCenterId') dataCenterId: string, @Body() body: RecordRemovalRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new RecordRemovalCommand(dataCenterId, body, meta));
  }

  @Post('transfers')
  @CommandOperation({ id: 'recordTransfer', summary: 'Record a transfer between data centers', description: 'Moves uninstalled chips from one data center to another (possibly across a border).', created: 'Recorded: the source and destination stock streams, written atomically' })
  transfer(@Body() body: RecordTransferRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new RecordTransferCommand(body, meta));
  }
}
