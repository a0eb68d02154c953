import { IdField } from '@chip-ledger/http';
import { ConsistencyQueryDto } from '../query-api/query.dto';

export class LicencesQueryDto extends ConsistencyQueryDto {
  @IdField('Data center whose deliveries and transfers-in cited the licences', { example: 'dc-gansu-qingyang-1' })
  dataCenterId!: string;
}
