import { qualified } from '../shared/sql';

export const licenceTables = (schema: string) => ({
  licences: qualified(schema, 'licence_balances'),
  usages: qualified(schema, 'licence_usages'),
  remittances: qualified(schema, 'licence_remittances'),
  dataCenters: qualified(schema, 'licence_data_centers'),
});
