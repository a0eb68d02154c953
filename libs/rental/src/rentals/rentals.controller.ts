import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@chip-ledger/http';
import { CommandContext, CommandEndpoints, CommandResponse, type CommandMeta } from '@chip-ledger/command-side';
import { EndRentalCommand, ExtendRentalCommand, StartRentalCommand } from './rentals.commands';
import { EndRentalRequest, ExtendRentalRequest, StartRentalRequest } from './rentals.dto';

@ApiTags('rentals')
@CommandEndpoints()
@Controller('rentals')
@Roles('operator', 'admin')
export class RentalsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse, description: 'Capacity of your data center rented to a tenant for a period.' })
  start(@Body() body: StartRentalRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new StartRentalCommand(body, meta));
  }

  @Post(':rentalId/extensions')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  extend(@Param('rentalId') rentalId: string, @Body() body: ExtendRentalRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new ExtendRentalCommand(rentalId, body, meta));
  }

  @Post(':rentalId/end')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse, description: 'Ending before the period starts cancels the rental.' })
  end(@Param('rentalId') rentalId: string, @Body() body: EndRentalRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new EndRentalCommand(rentalId, body, meta));
  }
}
