import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@chip-ledger/http';
import { CommandContext, CommandEndpoints, CommandResponse, type CommandMeta } from '@chip-ledger/command-side';
import { RecordAuditFactCommand } from './audits.commands';
import { AcknowledgeFindingRequest, CloseAuditRequest, DecideCaseReviewRequest, OpenAuditRequest, RecordAuditNoteRequest } from './audits.dto';

@ApiTags('audits')
@CommandEndpoints()
@Controller('data-centers/:dataCenterId')
@Roles('auditor', 'admin')
export class AuditsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post('audits')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  open(@Param('dataCenterId') dataCenterId: string, @Body() body: OpenAuditRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new RecordAuditFactCommand(dataCenterId, { type: 'OpenAudit', auditId: body.auditId, scope: body.scope }, body.occurredAt, meta));
  }

  @Post('audits/:auditId/closure')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  close(
    @Param('dataCenterId') dataCenterId: string,
    @Param('auditId') auditId: string,
    @Body() body: CloseAuditRequest,
    @CommandContext() meta: CommandMeta,
  ): Promise<CommandResponse> {
    return this.commands.execute(new RecordAuditFactCommand(dataCenterId, { type: 'CloseAudit', auditId, conclusion: body.conclusion }, body.occurredAt, meta));
  }

  @Post('audit-notes')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  note(@Param('dataCenterId') dataCenterId: string, @Body() body: RecordAuditNoteRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new RecordAuditFactCommand(dataCenterId, { type: 'RecordAuditNote', note: body.note }, body.occurredAt, meta));
  }

  @Post('finding-acknowledgements')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse, description: 'Acknowledging a finding does not close it.' })
  acknowledge(@Param('dataCenterId') dataCenterId: string, @Body() body: AcknowledgeFindingRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(
      new RecordAuditFactCommand(dataCenterId, { type: 'AcknowledgeFinding', findingId: body.findingId, comment: body.comment }, body.occurredAt, meta),
    );
  }

  @Post('case-reviews')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse, description: 'A review may be decided again; the latest-dated decision is in force.' })
  decideReview(@Param('dataCenterId') dataCenterId: string, @Body() body: DecideCaseReviewRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
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
