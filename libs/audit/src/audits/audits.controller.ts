import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, Roles } from '@chip-ledger/http';
import type { CommandMeta, CommandOutcome } from '@chip-ledger/command-side';
import { CommandContext, CommandEndpoints, CommandOperation } from '@chip-ledger/command-http';
import { RecordAuditFactCommand } from './audits.commands';
import { AcknowledgeFindingRequest, CloseAuditRequest, DecideCaseReviewRequest, OpenAuditRequest, RecordAuditNoteRequest } from './audits.dto';

@ApiTags('audits')
@CommandEndpoints()
@Controller('data-centers/:dataCenterId')
@Roles('auditor', 'admin')
export class AuditsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post('audits')
  @CommandOperation({ id: 'openAudit', summary: 'Open an audit of a data center' })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  open(@Param('dataCenterId') dataCenterId: string, @Body() body: OpenAuditRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new RecordAuditFactCommand(dataCenterId, { type: 'OpenAudit', auditId: body.auditId, scope: body.scope }, body.occurredAt, meta));
  }

  @Post('audits/:auditId/closure')
  @CommandOperation({ id: 'closeAudit', summary: 'Close an audit with its conclusion' })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  @ApiIdParam('auditId', 'Audit id (unique per data center)', 'audit-2026-q1')
  close(
    @Param('dataCenterId') dataCenterId: string,
    @Param('auditId') auditId: string,
    @Body() body: CloseAuditRequest,
    @CommandContext() meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.commands.execute(new RecordAuditFactCommand(dataCenterId, { type: 'CloseAudit', auditId, conclusion: body.conclusion }, body.occurredAt, meta));
  }

  @Post('audit-notes')
  @CommandOperation({ id: 'recordAuditNote', summary: "Record an auditor's note" })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  note(@Param('dataCenterId') dataCenterId: string, @Body() body: RecordAuditNoteRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new RecordAuditFactCommand(dataCenterId, { type: 'RecordAuditNote', note: body.note }, body.occurredAt, meta));
  }

  @Post('finding-acknowledgements')
  @CommandOperation({ id: 'acknowledgeFinding', summary: 'Acknowledge a finding', description: 'Acknowledging a finding does not close it.' })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  acknowledge(@Param('dataCenterId') dataCenterId: string, @Body() body: AcknowledgeFindingRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(
      new RecordAuditFactCommand(dataCenterId, { type: 'AcknowledgeFinding', findingId: body.findingId, comment: body.comment }, body.occurredAt, meta),
    );
  }

  @Post('case-reviews')
  @CommandOperation({ id: 'decideCaseReview', summary: 'Decide a case-by-case review', description: 'Approved closes a review finding; refused turns it into a breach until removal. A review may be decided again; the latest-dated decision is in force.' })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  decideReview(@Param('dataCenterId') dataCenterId: string, @Body() body: DecideCaseReviewRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(
      new RecordAuditFactCommand(
        dataCenterId,
        { type: 'DecideCaseReview', ruleId: body.ruleId, decision: body.decision, reasoning: body.reasoning },
        body.occurredAt,
        meta,
      ),
    );
  }
}
