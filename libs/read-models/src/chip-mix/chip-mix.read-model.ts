import type { ReadModelDefinition } from '../shared/read-model';
import { ChipMixController } from './chip-mix.controller';
import { CHIP_MIX_ENTITIES } from './chip-mix.entities';
import { CHIP_MIX_QUERY_HANDLERS } from './chip-mix.handlers';
import { ChipMixProjection } from './chip-mix.projection';

export const CHIP_MIX_READ_MODEL: ReadModelDefinition = {
  entities: CHIP_MIX_ENTITIES,
  projection: ({ rulebook }) => new ChipMixProjection({ rulebook }),
  controllers: [ChipMixController],
  queryHandlers: CHIP_MIX_QUERY_HANDLERS,
};
