import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@chip-ledger/http';
import { CommandContext, CommandEndpoints, CommandResponse, type CommandMeta } from '@chip-ledger/command-side';
import { ChangeRestrictedPartyListingCommand, RegisterOrganisationCommand } from './organisations.commands';
import { RegisterOrganisationRequest, RestrictedPartyListingRequest } from './organisations.dto';

@ApiTags('organisations')
@CommandEndpoints()
@Controller('organisations')
@Roles('admin')
export class OrganisationsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  register(@Body() body: RegisterOrganisationRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new RegisterOrganisationCommand(body, meta));
  }

  @Post(':organisationId/entity-list-listings')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse, description: 'The organisation was added to the US Entity List on occurredAt.' })
  list(@Param('organisationId') organisationId: string, @Body() body: RestrictedPartyListingRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new ChangeRestrictedPartyListingCommand(organisationId, 'ListRestrictedParty', body, meta));
  }

  @Post(':organisationId/entity-list-removals')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse, description: 'The organisation was removed from the US Entity List on occurredAt.' })
  delist(@Param('organisationId') organisationId: string, @Body() body: RestrictedPartyListingRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new ChangeRestrictedPartyListingCommand(organisationId, 'DelistRestrictedParty', body, meta));
  }
}
