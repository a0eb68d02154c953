import type { OpenApiInfo } from '@chip-ledger/http';

/** The standalone app's OpenAPI title and description, served at /openapi.json and written by `openapi.ts`. */
export const STANDALONE_API_INFO: OpenApiInfo = {
  title: 'Chip Ledger',
  description: 'The system of record for AI-accelerator chips: procurement, rentals, export licences, audits and compliance findings.',
};
