import { createValidationPipe, type ValidationProblem } from '@chip-ledger/http';
import { EndRentalRequest, ExtendRentalRequest, StartRentalRequest } from './rentals.dto';

// The global pipe the apps install, so these say what a client actually gets for a body.
const pipe = createValidationPipe();
const validate = (metatype: new () => object, body: unknown): Promise<unknown> => pipe.transform(body, { type: 'body', metatype });

async function refusedFields(metatype: new () => object, body: unknown): Promise<string[]> {
  try {
    await validate(metatype, body);
  } catch (error) {
    // A field may fail several constraints; which fields failed is what these tests are about.
    return [...new Set((error as ValidationProblem).problem.errors?.map((e) => e.field))];
  }
  throw new Error('expected the body to be refused');
}

const START = {
  rentalId: 'rental-1',
  providerDataCenterId: 'dc-sg',
  tenantOrganisationId: 'org-alibaba',
  modelId: 'nvidia-h100',
  chipCount: 1024,
  purpose: 'training',
  periodStart: '2025-06-01',
  periodEnd: '2025-12-01T00:00:00Z',
};

describe('rental request bodies', () => {
  describe('starting a rental', () => {
    it('accepts a complete body, occurredAt optional', async () => {
      await expect(validate(StartRentalRequest, START)).resolves.toBeInstanceOf(StartRentalRequest);
      await expect(validate(StartRentalRequest, { ...START, occurredAt: '2025-05-30T12:00:00Z' })).resolves.toBeInstanceOf(StartRentalRequest);
    });

    it('refuses a field it does not know', async () => {
      expect(await refusedFields(StartRentalRequest, { ...START, tenantName: 'Alibaba' })).toEqual(['tenantName']);
    });

    it('names every invalid field', async () => {
      const body = { ...START, rentalId: undefined, chipCount: 1.5, purpose: 'mining', periodEnd: 'next year' };
      expect(await refusedFields(StartRentalRequest, body)).toEqual(expect.arrayContaining(['rentalId', 'chipCount', 'purpose', 'periodEnd']));
    });
  });

  describe('extending or ending one', () => {
    it('needs an instant for the new end', async () => {
      await expect(validate(ExtendRentalRequest, { newPeriodEnd: '2026-01-01' })).resolves.toBeInstanceOf(ExtendRentalRequest);
      expect(await refusedFields(ExtendRentalRequest, {})).toEqual(['newPeriodEnd']);
    });

    it('takes a reason, or none', async () => {
      await expect(validate(EndRentalRequest, { reason: 'tenant request' })).resolves.toBeInstanceOf(EndRentalRequest);
      await expect(validate(EndRentalRequest, { reason: null })).resolves.toBeInstanceOf(EndRentalRequest);
      await expect(validate(EndRentalRequest, {})).resolves.toBeInstanceOf(EndRentalRequest);
      expect(await refusedFields(EndRentalRequest, { reason: 42 })).toEqual(['reason']);
    });
  });
});
