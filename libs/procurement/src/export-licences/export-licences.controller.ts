import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, Roles } from '@chip-ledger/http';
import type { CommandMeta, CommandOutcome } from '@chip-ledger/command-side';
import { CommandContext, CommandEndpoints, CommandOperation } from '@chip-ledger/command-http';
import { AmendExportLicenceCommand, ChangeLicenceStatusCommand, IssueExportLicenceCommand, RecordRemittanceCommand } from './export-licences.commands';
import { AmendExportLicenceRequest, IssueExportLicenceRequest, LicenceStatusChangeRequest, RecordRemittanceRequest } from './export-licences.dto';

@ApiTags('export licences')
@CommandEndpoints()
@Controller('export-licences')
@Roles('admin')
export class ExportLicencesController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @CommandOperation({ id: 'issueExportLicence', summary: 'Record a US export licence', description: 'Its model, consignee, destination, quantity and validity are checked against every delivery made under it.' })
  issue(@Body() body: IssueExportLicenceRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new IssueExportLicenceCommand(body, meta));
  }

  @Post(':licenceId/amendments')
  @CommandOperation({ id: 'amendExportLicence', summary: 'Amend an export licence', description: 'Replaces the given terms from occurredAt on.' })
  @ApiIdParam('licenceId', 'Export licence id', 'lic-d1234567')
  amend(@Param('licenceId') licenceId: string, @Body() body: AmendExportLicenceRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new AmendExportLicenceCommand(licenceId, body, meta));
  }

  @Post(':licenceId/suspension')
  @CommandOperation({ id: 'suspendExportLicence', summary: 'Suspend an export licence' })
  @ApiIdParam('licenceId', 'Export licence id', 'lic-d1234567')
  suspend(@Param('licenceId') licenceId: string, @Body() body: LicenceStatusChangeRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new ChangeLicenceStatusCommand(licenceId, 'SuspendExportLicence', body, meta));
  }

  @Post(':licenceId/reinstatement')
  @CommandOperation({ id: 'reinstateExportLicence', summary: 'Reinstate a suspended export licence' })
  @ApiIdParam('licenceId', 'Export licence id', 'lic-d1234567')
  reinstate(@Param('licenceId') licenceId: string, @Body() body: LicenceStatusChangeRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new ChangeLicenceStatusCommand(licenceId, 'ReinstateExportLicence', body, meta));
  }

  @Post(':licenceId/revocation')
  @CommandOperation({ id: 'revokeExportLicence', summary: 'Revoke an export licence', description: 'Final: every later change but a remittance is refused.' })
  @ApiIdParam('licenceId', 'Export licence id', 'lic-d1234567')
  revoke(@Param('licenceId') licenceId: string, @Body() body: LicenceStatusChangeRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new ChangeLicenceStatusCommand(licenceId, 'RevokeExportLicence', body, meta));
  }

  @Post(':licenceId/remittances')
  @CommandOperation({ id: 'recordRemittance', summary: 'Record a revenue-share remittance', description: "A payment of the licence's revenue-share condition covering the listed deliveries; the amount is an exact decimal string.", created: 'Recorded: a revenue-share remittance covering the listed deliveries' })
  @ApiIdParam('licenceId', 'Export licence id', 'lic-d1234567')
  remit(@Param('licenceId') licenceId: string, @Body() body: RecordRemittanceRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new RecordRemittanceCommand(licenceId, body, meta));
  }
}
