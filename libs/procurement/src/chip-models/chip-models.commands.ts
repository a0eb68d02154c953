import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chipCatalogDecider, streamIds, type ChipCatalog, type ChipModelSpec } from '@chip-ledger/domain';
import { CommandExecutor, type CommandMeta, type CommandOutcome, type UnitOfWork } from '@chip-ledger/command-side';
import { PROCUREMENT } from '../shared/service-name';
import type { AddChipModelRequest, CorrectChipModelRequest } from './chip-models.dto';

export class AddChipModelCommand {
  constructor(readonly request: AddChipModelRequest, readonly meta: CommandMeta) {}
}
export class CorrectChipModelCommand {
  constructor(readonly modelId: string, readonly request: CorrectChipModelRequest, readonly meta: CommandMeta) {}
}

/**
 * Each model is its own stream (chip-model-{id}): a model id is unique because its stream can be created
 * only once, so the catalog decider only ever needs the one model it is asked about.
 */
export function loadCatalogEntry(uow: UnitOfWork, modelId: string): Promise<ChipCatalog> {
  return uow.load(chipCatalogDecider, streamIds.chipModel(modelId));
}

@CommandHandler(AddChipModelCommand)
export class AddChipModelHandler implements ICommandHandler<AddChipModelCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ request, meta }: AddChipModelCommand): Promise<CommandOutcome> {
    const streamId = streamIds.chipModel(request.modelId);
    return this.executor.run(PROCUREMENT, streamId, meta, null, async (uow) => {
      const catalog = await loadCatalogEntry(uow, request.modelId);
      const model: ChipModelSpec = { ...request, vendorHeadquarters: request.vendorHeadquarters.toUpperCase(), fabCountry: request.fabCountry?.toUpperCase() ?? null };
      uow.record(streamId, chipCatalogDecider.decide({ type: 'AddChipModel', model: plain(model) }, catalog));
    });
  }
}

@CommandHandler(CorrectChipModelCommand)
export class CorrectChipModelHandler implements ICommandHandler<CorrectChipModelCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ modelId, request, meta }: CorrectChipModelCommand): Promise<CommandOutcome> {
    const streamId = streamIds.chipModel(modelId);
    return this.executor.run(PROCUREMENT, streamId, meta, null, async (uow) => {
      const catalog = await loadCatalogEntry(uow, modelId);
      uow.record(streamId, chipCatalogDecider.decide({ type: 'CorrectChipModel', modelId, changes: plain(request.changes), reason: request.reason }, catalog));
    });
  }
}

/** DTO instances → plain JSON (events carry plain data, never class instances). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
