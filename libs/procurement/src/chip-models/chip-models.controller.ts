import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@chip-ledger/http';
import { CommandContext, CommandEndpoints, CommandResponse, type CommandMeta } from '@chip-ledger/command-side';
import { AddChipModelCommand, CorrectChipModelCommand } from './chip-models.commands';
import { AddChipModelRequest, CorrectChipModelRequest } from './chip-models.dto';

@ApiTags('chip models')
@CommandEndpoints()
@Controller('chip-models')
@Roles('admin')
export class ChipModelsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  add(@Body() body: AddChipModelRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new AddChipModelCommand(body, meta));
  }

  @Post(':modelId/corrections')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CommandResponse })
  correct(@Param('modelId') modelId: string, @Body() body: CorrectChipModelRequest, @CommandContext() meta: CommandMeta): Promise<CommandResponse> {
    return this.commands.execute(new CorrectChipModelCommand(modelId, body, meta));
  }
}
