import type { ReadModelDefinition } from '../shared/read-model';
import { FleetMixController } from './fleet-mix.controller';
import { FLEET_MIX_QUERY_HANDLERS } from './fleet-mix.handlers';

/*
 * Fleet mix is not a projection of its own: it is an aggregate over the chip-mix tables, computed when asked. One
 * fewer projection to rebuild, and never out of step with the chip mix it sums.
 */
export const FLEET_MIX_READ_MODEL: ReadModelDefinition = {
  entities: [],
  controllers: [FleetMixController],
  queryHandlers: FLEET_MIX_QUERY_HANDLERS,
};
