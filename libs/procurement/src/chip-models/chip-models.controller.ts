import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiIdParam, Roles } from '@chip-ledger/http';
import type { CommandMeta, CommandOutcome } from '@chip-ledger/command-side';
import { CommandContext, CommandEndpoints, CommandOperation } from '@chip-ledger/command-http';
import { AddChipModelCommand, CorrectChipModelCommand } from './chip-models.commands';
import { AddChipModelRequest, CorrectChipModelRequest } from './chip-models.dto';

@ApiTags('chip models')
@CommandEndpoints()
@Controller('chip-models')
@Roles('admin')
export class ChipModelsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @CommandOperation({ id: 'addChipModel', summary: 'Add a chip model to the catalog', description: "Its figures classify it under the export rules (3A090.a/.b, the 2025 letter's bandwidth lines); an unknown figure is null and makes the rules needing it report 'cannot classify'." })
  add(@Body() body: AddChipModelRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new AddChipModelCommand(body, meta));
  }

  @Post(':modelId/corrections')
  @CommandOperation({ id: 'correctChipModel', summary: "Correct a chip model's figures", description: 'Replaces the given fields from occurredAt on; the reason is shown to auditors.' })
  @ApiIdParam('modelId', 'Chip model id', 'nvidia-h20')
  correct(@Param('modelId') modelId: string, @Body() body: CorrectChipModelRequest, @CommandContext() meta: CommandMeta): Promise<CommandOutcome> {
    return this.commands.execute(new CorrectChipModelCommand(modelId, body, meta));
  }
}
