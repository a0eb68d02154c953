import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, Roles } from '@chip-ledger/http';
import type { CommandMeta, CommandOutcome } from '@chip-ledger/command-side';
import { CommandContext, CommandEndpoints, CommandOperation } from '@chip-ledger/command-http';
import { EndRentalCommand, ExtendRentalCommand, StartRentalCommand } from './rentals.commands';
import { EndRentalRequest, ExtendRentalRequest, StartRentalRequest } from './rentals.dto';

@ApiTags('rentals')
@CommandEndpoints()
@Controller('rentals')
@Roles('operator', 'admin')
export class RentalsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @CommandOperation({ id: 'startRental', summary: 'Rent out capacity', description: 'Capacity of one of your data centers (at most the chips installed there) rented to a tenant for a period.', created: 'Recorded: capacity of your data center rented to a tenant for a period' })
  start(@Body() body: StartRentalRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new StartRentalCommand(body, meta));
  }

  @Post(':rentalId/extensions')
  @CommandOperation({ id: 'extendRental', summary: 'Extend a rental', description: 'Moves the end of the rented period later.' })
  @ApiIdParam('rentalId', 'Rental id', 'rent-qwen-training-2025')
  extend(@Param('rentalId') rentalId: string, @Body() body: ExtendRentalRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new ExtendRentalCommand(rentalId, body, meta));
  }

  @Post(':rentalId/end')
  @CommandOperation({ id: 'endRental', summary: 'End a rental', description: 'Ending before the period starts cancels the rental.' })
  @ApiIdParam('rentalId', 'Rental id', 'rent-qwen-training-2025')
  end(@Param('rentalId') rentalId: string, @Body() body: EndRentalRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new EndRentalCommand(rentalId, body, meta));
  }
}
