import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@chip-ledger/http';
import { CommandContext, CommandEndpoints, CommandResponse, type CommandMeta } from '@chip-ledger/command-side';
import { RegisterDataCenterCommand, ReportConstructionProgressCommand, ReportStateFundingCommand } from './data-centers.commands';
import { RegisterDataCenterRequest, ReportConstructionProgressRequest, ReportStateFundingRequest } from './data-centers.dto';

@ApiTags('data centers')
@CommandEndpoints()
@Controller('data-centers')
@Roles('operator', 'admin')
export class DataCentersController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  register(
    @Body() body: RegisterDataCenterRequest,
    @CommandContext() meta: CommandMeta,
  ): Promise<CommandResponse> {
    return this.commands.execute(new RegisterDataCenterCommand(body, meta));
  }

  @Post(':dataCenterId/construction-progress')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  reportProgress(
    @Param('dataCenterId') dataCenterId: string,
    @Body() body: ReportConstructionProgressRequest,
    @CommandContext() meta: CommandMeta,
  ): Promise<CommandResponse> {
    return this.commands.execute(new ReportConstructionProgressCommand(dataCenterId, body, meta));
  }

  @Post(':dataCenterId/state-funding')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  reportFunding(
    @Param('dataCenterId') dataCenterId: string,
    @Body() body: ReportStateFundingRequest,
    @CommandContext() meta: CommandMeta,
  ): Promise<CommandResponse> {
    return this.commands.execute(new ReportStateFundingCommand(dataCenterId, body, meta));
  }
}
