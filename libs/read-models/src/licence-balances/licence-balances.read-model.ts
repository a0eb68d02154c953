import type { ReadModelDefinition } from '../shared/read-model';
import { LicenceBalancesController } from './licence-balances.controller';
import { LICENCE_BALANCES_ENTITIES } from './licence-balances.entities';
import { LICENCE_BALANCES_QUERY_HANDLERS } from './licence-balances.handlers';
import { LicenceBalancesProjection } from './licence-balances.projection';

export const LICENCE_BALANCES_READ_MODEL: ReadModelDefinition = {
  entities: LICENCE_BALANCES_ENTITIES,
  projection: () => new LicenceBalancesProjection(),
  controllers: [LicenceBalancesController],
  queryHandlers: LICENCE_BALANCES_QUERY_HANDLERS,
};
