import type { Queryable } from '../shared/sql';
import { licenceTables } from './licence-balances.table';

export interface LicenceBalance {
  readonly licenceId: string;
  readonly licenceNumber: string | null;
  readonly exporter: string | null;
  readonly consigneeOrganisationId: string | null;
  readonly destinationCountry: string | null;
  readonly modelIds: readonly string[];
  readonly authorised: number;
  readonly used: number;
  /** Never negative: what may still be shipped. An overdrawn licence shows 0 here and the excess in `overdrawnBy`. */
  readonly remaining: number;
  readonly overdrawnBy: number;
  /** Administrative status, then the balance and validity as of the request. */
  readonly status: 'active' | 'suspended' | 'revoked' | 'expired' | 'not-yet-valid' | 'exhausted' | 'overdrawn' | 'unknown';
  readonly administrativeStatus: string;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly revenueSharePercent: number | null;
  readonly issuedAt: string | null;
  readonly usages: readonly {
    readonly eventId: string;
    readonly kind: string;
    readonly reference: string;
    readonly dataCenterId: string;
    readonly modelId: string;
    readonly quantity: number;
    readonly occurredAt: string;
    /** Balance after this usage (in occurredAt order); negative when it overdrew. */
    readonly balanceAfter: number;
  }[];
  /** amountUsd: exact decimal string with two fraction digits ('1250000.00'). */
  readonly remittances: readonly { readonly eventId: string; readonly reference: string; readonly deliveryIds: readonly string[]; readonly amountUsd: string; readonly occurredAt: string }[];
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/** The balance of one licence as of `now`; null when neither the licence nor any usage of it is known. */
export const licenceBalance = async (db: Queryable, schema: string, licenceId: string, now: Date): Promise<LicenceBalance | null> => {
  const t = licenceTables(schema);
  // One statement, so one snapshot: three queries could see a usage without the commit's remittance, or a
  // licence amended between them.
  const { rows } = await db.query(
    `SELECT (SELECT to_jsonb(l) FROM ${t.licences} l WHERE l.licence_id = $1) AS licence,
            -- Only the consignee's own uses draw on a licence (and show in its history): another organisation citing it
            -- is a fact compliance flags on that organisation's data center, not a use of this licence (ADR 0018).
            (SELECT coalesce(jsonb_agg(to_jsonb(u) ORDER BY u.occurred_at, u.event_id), '[]')
               FROM ${t.usages} u JOIN ${t.dataCenters} d ON d.data_center_id = u.data_center_id
              WHERE u.licence_id = $1 AND d.owner_organisation_id = (SELECT consignee_organisation_id FROM ${t.licences} WHERE licence_id = $1)) AS usages,
            (SELECT coalesce(jsonb_agg(to_jsonb(r) || jsonb_build_object('amount_usd', round(r.amount_usd, 2)::text) ORDER BY r.occurred_at, r.event_id), '[]')
               FROM ${t.remittances} r WHERE r.licence_id = $1) AS remittances`,
    [licenceId],
  );
  const row = rows[0] as { licence: Record<string, unknown> | null; usages: Record<string, unknown>[]; remittances: Record<string, unknown>[] };
  const [licence, usages, remittances] = [{ rows: row.licence ? [row.licence] : [] }, { rows: row.usages }, { rows: row.remittances }];
  const l = licence.rows[0] as Record<string, unknown> | undefined;
  if (!l && usages.rows.length === 0) return null;
  const authorised = Number(l?.['authorised'] ?? 0);
  let balance = authorised;
  const usageViews = usages.rows.map((u: Record<string, unknown>) => {
    balance -= Number(u['quantity']);
    return {
      eventId: String(u['event_id']),
      kind: String(u['kind']),
      reference: String(u['reference']),
      dataCenterId: String(u['data_center_id']),
      modelId: String(u['model_id']),
      quantity: Number(u['quantity']),
      occurredAt: iso(u['occurred_at']) ?? '',
      balanceAfter: balance,
    };
  });
  const used = authorised - balance;
  const administrative = l ? String(l['status']) : 'unknown';
  const nowMs = now.getTime();
  const validFrom = iso(l?.['valid_from']);
  const validTo = iso(l?.['valid_to']);
  const status: LicenceBalance['status'] =
    !l || l['licence_number'] === null
      ? 'unknown'
      : administrative !== 'active'
        ? (administrative as 'suspended' | 'revoked')
        : used > authorised
          ? 'overdrawn'
          : validTo !== null && nowMs >= Date.parse(validTo)
            ? 'expired'
            : validFrom !== null && nowMs < Date.parse(validFrom)
              ? 'not-yet-valid'
              : used === authorised
                ? 'exhausted'
                : 'active';
  return {
    licenceId,
    licenceNumber: (l?.['licence_number'] as string | null) ?? null,
    exporter: (l?.['exporter'] as string | null) ?? null,
    consigneeOrganisationId: (l?.['consignee_organisation_id'] as string | null) ?? null,
    destinationCountry: (l?.['destination_country'] as string | null) ?? null,
    modelIds: (l?.['model_ids'] as string[] | null) ?? [],
    authorised,
    used,
    remaining: Math.max(authorised - used, 0),
    overdrawnBy: Math.max(used - authorised, 0),
    status,
    administrativeStatus: administrative,
    validFrom,
    validTo,
    revenueSharePercent: l?.['revenue_share_percent'] === null || l?.['revenue_share_percent'] === undefined ? null : Number(l['revenue_share_percent']),
    issuedAt: iso(l?.['issued_at']),
    usages: usageViews,
    remittances: remittances.rows.map((r: Record<string, unknown>) => ({
      eventId: String(r['event_id']),
      reference: String(r['reference']),
      deliveryIds: r['delivery_ids'] as string[],
      // As text from SQL: a JSON number would pass through a double.
      amountUsd: String(r['amount_usd']),
      occurredAt: iso(r['occurred_at']) ?? '',
    })),
  };
};

/** Licences cited by a delivery or transfer into a data center, by licence id. */
export const licenceIdsUsedAt = async (db: Queryable, schema: string, dataCenterId: string): Promise<string[]> => {
  const { rows } = await db.query<{ licence_id: string }>(
    `SELECT DISTINCT licence_id FROM ${licenceTables(schema).usages} WHERE data_center_id = $1 ORDER BY licence_id`,
    [dataCenterId],
  );
  return rows.map((r) => r.licence_id);
};
