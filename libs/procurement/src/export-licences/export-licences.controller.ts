import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@chip-ledger/http';
import { CommandContext, CommandEndpoints, CommandResponse, type CommandMeta } from '@chip-ledger/command-side';
import { AmendExportLicenceCommand, ChangeLicenceStatusCommand, IssueExportLicenceCommand, RecordRemittanceCommand } from './export-licences.commands';
import { AmendExportLicenceRequest, IssueExportLicenceRequest, LicenceStatusChangeRequest, RecordRemittanceRequest } from './export-licences.dto';

@ApiTags('export licences')
@CommandEndpoints()
@Controller('export-licences')
@Roles('admin')
export class ExportLicencesController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  issue(@Body() body: IssueExportLicenceRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new IssueExportLicenceCommand(body, meta));
  }

  @Post(':licenceId/amendments')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  amend(@Param('licenceId') licenceId: string, @Body() body: AmendExportLicenceRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new AmendExportLicenceCommand(licenceId, body, meta));
  }

  @Post(':licenceId/suspension')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  suspend(@Param('licenceId') licenceId: string, @Body() body: LicenceStatusChangeRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new ChangeLicenceStatusCommand(licenceId, 'SuspendExportLicence', body, meta));
  }

  @Post(':licenceId/reinstatement')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  reinstate(@Param('licenceId') licenceId: string, @Body() body: LicenceStatusChangeRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new ChangeLicenceStatusCommand(licenceId, 'ReinstateExportLicence', body, meta));
  }

  @Post(':licenceId/revocation')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  revoke(@Param('licenceId') licenceId: string, @Body() body: LicenceStatusChangeRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new ChangeLicenceStatusCommand(licenceId, 'RevokeExportLicence', body, meta));
  }

  @Post(':licenceId/remittances')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse, description: 'A revenue-share remittance covering the listed deliveries.' })
  remit(@Param('licenceId') licenceId: string, @Body() body: RecordRemittanceRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new RecordRemittanceCommand(licenceId, body, meta));
  }
}
