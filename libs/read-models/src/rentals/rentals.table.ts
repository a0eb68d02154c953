import { qualified } from '../shared/sql';

export const rentalTables = (schema: string) => ({
  rentals: qualified(schema, 'rentals'),
  providers: qualified(schema, 'rental_providers'),
});
