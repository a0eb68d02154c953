import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, Roles } from '@chip-ledger/http';
import type { CommandMeta, CommandOutcome } from '@chip-ledger/command-side';
import { CommandContext, CommandEndpoints, CommandOperation } from '@chip-ledger/command-http';
import { ChangeRestrictedPartyListingCommand, RegisterOrganisationCommand } from './organisations.commands';
import { RegisterOrganisationRequest, RestrictedPartyListingRequest } from './organisations.dto';

@ApiTags('organisations')
@CommandEndpoints()
@Controller('organisations')
@Roles('admin')
export class OrganisationsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @CommandOperation({ id: 'registerOrganisation', summary: 'Register an organisation', description: "Its headquarters and its ultimate parent's headquarters decide which export rules apply to what it owns and rents." })
  register(@Body() body: RegisterOrganisationRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new RegisterOrganisationCommand(body, meta));
  }

  @Post(':organisationId/entity-list-listings')
  @CommandOperation({ id: 'listOrganisationOnEntityList', summary: 'Record an Entity List listing', description: 'The organisation was added to the US Entity List on occurredAt (the Federal Register date).', created: 'Recorded: the organisation was on the US Entity List from occurredAt' })
  @ApiIdParam('organisationId', 'Organisation id', 'gansu-cloud')
  list(@Param('organisationId') organisationId: string, @Body() body: RestrictedPartyListingRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new ChangeRestrictedPartyListingCommand(organisationId, 'ListRestrictedParty', body, meta));
  }

  @Post(':organisationId/entity-list-removals')
  @CommandOperation({ id: 'delistOrganisationFromEntityList', summary: 'Record an Entity List removal', description: 'The organisation was removed from the US Entity List on occurredAt.', created: 'Recorded: the organisation was off the US Entity List from occurredAt' })
  @ApiIdParam('organisationId', 'Organisation id', 'gansu-cloud')
  delist(@Param('organisationId') organisationId: string, @Body() body: RestrictedPartyListingRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new ChangeRestrictedPartyListingCommand(organisationId, 'DelistRestrictedParty', body, meta));
  }
}
