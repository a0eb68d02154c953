import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, Roles } from '@chip-ledger/http';
import type { CommandMeta, CommandOutcome } from '@chip-ledger/command-side';
import { CommandContext, CommandEndpoints, CommandOperation } from '@chip-ledger/command-http';
import { RegisterDataCenterCommand, ReportConstructionProgressCommand, ReportStateFundingCommand } from './data-centers.commands';
import { RegisterDataCenterRequest, ReportConstructionProgressRequest, ReportStateFundingRequest } from './data-centers.dto';

@ApiTags('data centers')
@CommandEndpoints()
@Controller('data-centers')
@Roles('operator', 'admin')
export class DataCentersController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @CommandOperation({ id: 'registerDataCenter', summary: 'Register a data center', description: 'An operator registers data centers of its own organisation; the id is chosen by the client and is the stream id.' })
  register(
    @Body() body: RegisterDataCenterRequest,
    @CommandContext() meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.commands.execute(new RegisterDataCenterCommand(body, meta));
  }

  @Post(':dataCenterId/construction-progress')
  @CommandOperation({ id: 'reportConstructionProgress', summary: 'Report construction progress', description: 'Completion on occurredAt; the domestic-chip mandate judges state-funded sites by their completion on 2025-11-05.' })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  reportProgress(
    @Param('dataCenterId') dataCenterId: string,
    @Body() body: ReportConstructionProgressRequest,
    @CommandContext() meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.commands.execute(new ReportConstructionProgressCommand(dataCenterId, body, meta));
  }

  @Post(':dataCenterId/state-funding')
  @CommandOperation({ id: 'reportStateFunding', summary: 'Report state funding', description: 'The data center has received state funding (known from occurredAt).' })
  @ApiIdParam('dataCenterId', 'Data center id', 'dc-gansu-qingyang-1')
  reportFunding(
    @Param('dataCenterId') dataCenterId: string,
    @Body() body: ReportStateFundingRequest,
    @CommandContext() meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.commands.execute(new ReportStateFundingCommand(dataCenterId, body, meta));
  }
}
