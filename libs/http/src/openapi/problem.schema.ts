import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

export class FieldErrorSchema {
  @ApiProperty({ description: 'The field at fault: a dotted path in the body (lines[0].quantity), a query or path parameter, or a header name', example: 'quantity' })
  field!: string;
  @ApiProperty({ description: 'Why it is refused, for a person', example: 'quantity must be at most 10000000' })
  reason!: string;
}

/** The one shape of every error answer (RFC 9457 problem details), referenced by every 4xx and 5xx response. */
@ApiSchema({ name: 'Problem', description: 'RFC 9457 problem details: every error answer has this shape, with Content-Type application/problem+json.' })
export class ProblemSchema {
  @ApiProperty({ description: 'A stable URI built from `code`', example: 'https://chipledger.dev/problems/request/invalid' })
  type!: string;
  @ApiProperty({ description: 'A short summary of the kind of problem', example: 'The request is invalid' })
  title!: string;
  @ApiProperty({ description: 'The HTTP status', type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status!: number;
  @ApiProperty({ description: 'What went wrong with this request, for a person', example: 'quantity: quantity must be at most 10000000' })
  detail!: string;
  @ApiPropertyOptional({ description: 'The request path', example: '/data-centers/dc-gansu-qingyang-1/installations' })
  instance?: string;
  @ApiProperty({ description: 'Stable machine-readable code to switch on (e.g. REQUEST.INVALID, STOCK.INSUFFICIENT_INSTALLED, LEDGER.BUSY)', example: 'REQUEST.INVALID' })
  code!: string;
  @ApiPropertyOptional({ description: 'The field at fault, when one is (same form as FieldError.field)', type: String, nullable: true, example: 'quantity' })
  field?: string | null;
  @ApiPropertyOptional({ description: 'Every invalid field, for validation errors', type: [FieldErrorSchema] })
  errors?: FieldErrorSchema[];
}
