/** ISO 3166-1 alpha-2 country code, upper case (e.g. 'CN', 'MY', 'US'). */
export type CountryCode = string;

/** An instant as an ISO-8601 UTC string (e.g. '2025-11-05T00:00:00.000Z'). Domain code never reads the clock. */
export type Instant = string;

export type Role = 'operator' | 'viewer' | 'auditor' | 'admin';

/** Who recorded a fact. Every event carries one. */
export interface Actor {
  readonly id: string;
  readonly organisation: string;
  readonly role: Role;
}
