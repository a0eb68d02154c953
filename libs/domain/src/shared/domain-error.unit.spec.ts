import { DOMAIN_ERROR_CODE_LIST, DOMAIN_ERROR_CODES, DomainError, isDomainError } from './domain-error';

describe('DomainError', () => {
  it('takes its kind from its code, so adapters map statuses in one place', () => {
    expect(new DomainError('STOCK.INSUFFICIENT_INSTALLED', 'm').kind).toBe('conflict');
    expect(new DomainError('DATA_CENTER.NOT_FOUND', 'm').kind).toBe('not-found');
    expect(new DomainError('QUANTITY.NOT_POSITIVE_INTEGER', 'm').kind).toBe('validation');
  });

  it('covers the required refusals', () => {
    expect(DOMAIN_ERROR_CODE_LIST).toEqual(
      expect.arrayContaining([
        'QUANTITY.NOT_POSITIVE_INTEGER',
        'STOCK.INSUFFICIENT_IN_STOCK',
        'STOCK.INSUFFICIENT_INSTALLED',
        'STOCK.DELIVERY_EXCEEDS_ORDER',
        'DATA_CENTER.FACT_BEFORE_REGISTRATION',
        'CHIP_MODEL.UNKNOWN',
        'PERIOD.INVALID',
        'LICENCE.REVOKED',
      ]),
    );
    expect(new Set(Object.values(DOMAIN_ERROR_CODES))).toEqual(new Set(['validation', 'not-found', 'conflict']));
  });

  it('serialises to plain JSON with field and details', () => {
    const error = new DomainError('STOCK.INSUFFICIENT_INSTALLED', 'only 3 installed', { field: 'quantity', details: { available: 3 } });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'STOCK.INSUFFICIENT_INSTALLED',
      kind: 'conflict',
      field: 'quantity',
      message: 'only 3 installed',
      details: { available: 3 },
    });
    expect(new DomainError('LICENCE.REVOKED', 'm').field).toBeNull();
  });

  it('is recognised across module copies, and other errors are not', () => {
    const foreign = Object.assign(new Error('x'), { name: 'DomainError', code: 'LICENCE.REVOKED' });
    expect(isDomainError(new DomainError('LICENCE.REVOKED', 'm'))).toBe(true);
    expect(isDomainError(foreign)).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(isDomainError({ name: 'DomainError', code: 'NOT.A.CODE' })).toBe(false);
  });
});
