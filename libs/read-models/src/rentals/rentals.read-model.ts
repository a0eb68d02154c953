import type { ReadModelDefinition } from '../shared/read-model';
import { RentalsController } from './rentals.controller';
import { RENTALS_ENTITIES } from './rentals.entities';
import { RENTALS_QUERY_HANDLERS } from './rentals.handlers';
import { RentalsProjection } from './rentals.projection';

export const RENTALS_READ_MODEL: ReadModelDefinition = {
  entities: RENTALS_ENTITIES,
  projection: () => new RentalsProjection(),
  controllers: [RentalsController],
  queryHandlers: RENTALS_QUERY_HANDLERS,
};
