import { IdField } from '@chip-ledger/http';
import { PageQueryDto } from '../query-api/query.dto';

export class RentalsQueryDto extends PageQueryDto {
  @IdField('Tenant organisation', { optional: true, example: 'alibaba-cloud' })
  tenantOrganisationId?: string;

  @IdField('Provider data center', { optional: true, example: 'dc-jurong-1' })
  providerDataCenterId?: string;
}
