import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { ChipMixLine, DataCenterAsOf, DataCenterDetail, Finding, LicenceBalance, LicenceInUseAsOf, Rental } from '../api/types';
import { chipMixChart, mixOverTimeChart } from '../charts/options';
import { PALETTE } from '../charts/palette';
import { Chart } from '../components/chart';
import { cardOfFinding, cardOfFindingAsOf, FindingCard, type FindingCardModel } from '../components/finding-card';
import { BalanceBar, CompletionMeter, ShareMeter } from '../components/meters';
import { SeverityCounts } from '../components/severity';
import { Empty, ErrorState, Loading } from '../components/states';
import { TimeBar } from '../components/time-bar';
import { CHIP_MOVEMENT_TYPES, mapLimited, sampleDays, seriesOf, type MixSample } from '../data-center/mix-over-time';
import { countOpenFindings, type SeverityCounts as Counts } from '../fleet/fleet-rows';
import { orderFindings } from '../findings/findings-view';
import { countryName, ECCN_CLASS_LABELS, formatCount, formatDate } from '../format';
import { useApp } from '../state/app-state';
import { hrefOf } from '../state/route';
import { useResource } from '../state/use-resource';
import { dayOf, instantOf } from '../state/view-time';

interface RentalRow {
  readonly rentalId: string;
  readonly tenantOrganisationId: string | null;
  readonly modelId: string | null;
  readonly chipCount: number;
  readonly purpose: string | null;
  readonly periodStart: string | null;
  readonly periodEnd: string | null;
  readonly status: string;
  readonly extensions: number;
}

/** What the page draws, read live from the read models or as of a day from the auditors' API. */
interface DataCenterModel {
  readonly name: string;
  readonly owner: string;
  readonly country: string | null;
  readonly region: string | null;
  readonly registeredAt: string | null;
  readonly stateFunded: boolean;
  readonly stateFundedAt: string | null;
  readonly completionPercent: number | null;
  readonly completionReportedAt: string | null;
  readonly totals: { readonly installed: number; readonly inStock: number; readonly onOrder: number; readonly rentedOut: number; readonly domesticInstalled: number };
  readonly chipMix: readonly ChipMixLine[];
  readonly openFindings: readonly FindingCardModel[];
  readonly counts: Counts;
  /** Null as of a day: the as-of answer evaluates what was open then, not past intervals. */
  readonly closedFindings: readonly FindingCardModel[] | null;
  readonly licences: { readonly kind: 'live'; readonly items: readonly LicenceBalance[] } | { readonly kind: 'as-of'; readonly items: readonly LicenceInUseAsOf[] };
  readonly rentals: readonly RentalRow[];
  /** The day shown, or null when live. */
  readonly day: string | null;
}

const NO_COUNTS: Counts = { breach: 0, review: 0, risk: 0 };

function liveModel(detail: DataCenterDetail, closed: Finding[], rentals: Rental[], licences: LicenceBalance[]): DataCenterModel {
  return {
    name: detail.name ?? detail.dataCenterId,
    owner: detail.ownerName ?? detail.ownerOrganisationId ?? '—',
    country: detail.country,
    region: detail.region,
    registeredAt: detail.registeredAt,
    stateFunded: detail.stateFunded,
    stateFundedAt: detail.stateFundedAt,
    completionPercent: detail.completionPercent,
    completionReportedAt: detail.completionReportedAt,
    totals: detail.totals,
    chipMix: detail.chipMix,
    openFindings: orderFindings(detail.openFindings).map(cardOfFinding),
    counts: countOpenFindings(detail.openFindings).get(detail.dataCenterId) ?? NO_COUNTS,
    closedFindings: closed.map(cardOfFinding),
    licences: { kind: 'live', items: licences },
    rentals,
    day: null,
  };
}

function asOfModel(a: DataCenterAsOf, day: string): DataCenterModel {
  const counts = { ...NO_COUNTS };
  for (const f of a.findings) counts[f.severity] += 1;
  const severityRank = { breach: 0, review: 1, risk: 2 } as const;
  return {
    name: a.dataCenter.name,
    owner: a.dataCenter.ownerOrganisationId,
    country: a.dataCenter.country,
    region: a.dataCenter.region || null,
    registeredAt: a.dataCenter.registeredAt,
    stateFunded: a.dataCenter.stateFunded,
    stateFundedAt: a.dataCenter.stateFundedAt,
    completionPercent: a.dataCenter.completionPercent,
    completionReportedAt: a.dataCenter.completionReportedAt,
    totals: { ...a.totals, domesticInstalled: a.chipMix.filter((l) => l.origin === 'domestic').reduce((n, l) => n + l.installed, 0) },
    chipMix: a.chipMix,
    openFindings: [...a.findings].sort((x, y) => severityRank[x.severity] - severityRank[y.severity] || x.ruleId.localeCompare(y.ruleId)).map((f) => cardOfFindingAsOf(f, day)),
    counts,
    closedFindings: null,
    licences: { kind: 'as-of', items: a.licencesInUse },
    rentals: a.rentals.map((r) => ({ ...r, extensions: 0 })),
    day,
  };
}

export function DataCenterPage({ dataCenterId }: { dataCenterId: string }) {
  const { api, revision, viewTime } = useApp();
  const day = viewTime.kind === 'as-of' ? viewTime.date : null;
  const { resource, reload } = useResource<DataCenterModel>(
    async (signal) => {
      if (viewTime.kind === 'as-of') return asOfModel(await api.getDataCenterAsOf(dataCenterId, instantOf(viewTime), signal), viewTime.date);
      const [detail, closedFindings, rentals, licences] = await Promise.all([
        api.getDataCenter(dataCenterId, signal),
        api.listFindings({ status: 'closed', dataCenterId }, signal),
        api.listRentals({ providerDataCenterId: dataCenterId }, signal),
        api.listLicencesUsedAt(dataCenterId, signal),
      ]);
      return liveModel(detail, closedFindings, rentals, licences);
    },
    // Live: reload on every change. As of a day: only when the day changes.
    [api, dataCenterId, day, day === null ? revision : null],
  );
  const title = resource.status === 'ready' ? resource.data.name : dataCenterId;
  const notYet = resource.status === 'error' && resource.error.code === 'DATA_CENTER.NOT_YET_KNOWN';

  return (
    <>
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <a href={hrefOf({ page: 'fleet' })}>Fleet</a> <span aria-hidden="true">›</span> <span aria-current="page">{title}</span>
      </nav>
      <div class="page-heading">
        <h1 tabIndex={-1}>{title}</h1>
      </div>
      <TimeBar />
      {resource.status === 'loading' && <Loading what={`data center ${dataCenterId}`} />}
      {notYet && (
        <Empty title={`${dataCenterId} was not registered yet at the end of ${day}`}>
          <p>Move the slider to a later day, or go back to live.</p>
        </Empty>
      )}
      {resource.status === 'error' && !notYet && (
        <ErrorState error={resource.error} onRetry={reload} notFound={`Data center ${dataCenterId} does not exist, or your organisation may not see it.`} />
      )}
      {resource.status === 'ready' && <DataCenterView dataCenterId={dataCenterId} model={resource.data} refreshing={resource.refreshing} />}
    </>
  );
}

function DataCenterView({ dataCenterId, model, refreshing }: { dataCenterId: string; model: DataCenterModel; refreshing: boolean }) {
  const spec = useMemo(() => chipMixChart(model.chipMix), [model.chipMix]);
  const installed = model.totals.installed;
  const when = model.day === null ? 'now' : `at the end of ${model.day}`;
  return (
    <div aria-busy={refreshing}>
      <section aria-label="About this data center" class="panel facts">
        <dl class="fact-grid">
          <Fact label="Owner">{model.owner}</Fact>
          <Fact label="Where">
            {model.region ? `${model.region}, ` : ''}
            {countryName(model.country)}
          </Fact>
          <Fact label="Registered">{formatDate(model.registeredAt)}</Fact>
          <Fact label="State funding">{model.stateFunded ? `Yes, reported ${formatDate(model.stateFundedAt)}` : 'None reported'}</Fact>
          <Fact label="Completion">
            <CompletionMeter percent={model.completionPercent} />
            {model.completionReportedAt && <span class="subtle block">reported {formatDate(model.completionReportedAt)}</span>}
          </Fact>
          <Fact label="Installed">
            {formatCount(installed)} <span class="subtle">({formatCount(model.totals.inStock)} in stock, {formatCount(model.totals.onOrder)} on order)</span>
          </Fact>
          <Fact label="Rented out">{formatCount(model.totals.rentedOut)}</Fact>
          <Fact label="Domestic share">
            <ShareMeter share={installed > 0 ? model.totals.domesticInstalled / installed : null} />
          </Fact>
          <Fact label="Open findings">
            <SeverityCounts counts={model.counts} />
          </Fact>
        </dl>
      </section>

      <section aria-labelledby="dc-findings" class="panel">
        <h2 id="dc-findings">{model.day === null ? 'Open findings' : `Findings open on ${model.day}`}</h2>
        {model.openFindings.length === 0 ? (
          <Empty title="No open findings">
            <p>Nothing the rulebook flags at this data center {when}.</p>
          </Empty>
        ) : (
          <div class="finding-list" data-testid="open-findings">
            {model.openFindings.map((f) => (
              <FindingCard key={f.key} finding={f} />
            ))}
          </div>
        )}
        {model.closedFindings && model.closedFindings.length > 0 && (
          <details class="closed-findings" data-testid="closed-findings">
            <summary>
              {model.closedFindings.length} closed finding{model.closedFindings.length === 1 ? '' : 's'}
            </summary>
            <div class="finding-list">
              {model.closedFindings.map((f) => (
                <FindingCard key={f.key} finding={f} />
              ))}
            </div>
          </details>
        )}
      </section>

      <section aria-labelledby="dc-mix" class="panel">
        <h2 id="dc-mix">Chip mix {model.day === null ? '' : `on ${model.day}`}</h2>
        {model.chipMix.length === 0 ? (
          <Empty title={`No chips recorded here ${model.day === null ? 'yet' : `by ${model.day}`}`} />
        ) : (
          <>
            <Chart spec={spec} height={Math.max(160, 48 * model.chipMix.length + 60)} testId="chart-chip-mix" />
            <ChipMixTable lines={model.chipMix} />
          </>
        )}
      </section>

      <MixOverTime dataCenterId={dataCenterId} registeredAt={model.registeredAt} day={model.day} />

      <div class="two-columns">
        <section aria-labelledby="dc-licences" class="panel">
          <h2 id="dc-licences">Export licences in use</h2>
          {model.licences.items.length === 0 ? (
            <Empty title={`No delivery here cited a licence ${model.day === null ? '' : `by ${model.day}`}`} />
          ) : model.licences.kind === 'live' ? (
            model.licences.items.map((l) => <LicenceCard key={l.licenceId} licence={l} />)
          ) : (
            model.licences.items.map((l) => <LicenceAsOfCard key={l.licenceId} licence={l} day={model.day ?? ''} />)
          )}
        </section>
        <section aria-labelledby="dc-rentals" class="panel">
          <h2 id="dc-rentals">Capacity rented out</h2>
          {model.rentals.length === 0 ? <Empty title="No rentals from this data center" /> : <RentalsTable rentals={model.rentals} />}
        </section>
      </div>
    </div>
  );
}

function ChipMixTable({ lines }: { lines: readonly ChipMixLine[] }) {
  return (
    <div class="table-scroll">
      <table class="data-table">
        <caption class="visually-hidden">Chips by model at this data center</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Vendor</th>
            <th scope="col">Origin</th>
            <th scope="col">Class</th>
            <th scope="col" class="numeric">
              Installed
            </th>
            <th scope="col" class="numeric">
              In stock
            </th>
            <th scope="col" class="numeric">
              On order
            </th>
            <th scope="col" class="numeric">
              Rented out
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.modelId}>
              <th scope="row">{line.modelName ?? line.modelId}</th>
              <td>
                {line.vendor ?? '—'}
                {line.vendorHeadquarters && <span class="subtle"> ({line.vendorHeadquarters})</span>}
              </td>
              <td>{line.origin === 'domestic' ? 'Domestic' : line.origin === 'foreign' ? 'Foreign' : 'Unknown'}</td>
              <td>{ECCN_CLASS_LABELS[line.eccnClass ?? ''] ?? line.eccnClass ?? '—'}</td>
              <td class="numeric">{formatCount(line.installed)}</td>
              <td class="numeric">{formatCount(line.inStock)}</td>
              <td class="numeric">{formatCount(line.onOrder)}</td>
              <td class="numeric">{formatCount(line.rentedOut)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const ORIGIN_ORDER = ['domestic', 'foreign', 'unknown'];
const CLASS_ORDER = ['3A090.a', '3A090.b', 'not-controlled', 'cannot-classify'];
const ORIGIN_LABELS: Record<string, string> = { domestic: 'Domestic', foreign: 'Foreign', unknown: 'Unknown origin' };
/** Questions the chart asks the as-of API at once (each is cheap once the data center's events are cached). */
const AS_OF_CONCURRENCY = 4;

async function loadMixOverTime(api: ApiClient, dataCenterId: string, registeredAt: string, signal: AbortSignal): Promise<MixSample[]> {
  const movements = await api.dataCenterHistory(dataCenterId, CHIP_MOVEMENT_TYPES, signal);
  const now = new Date();
  const today = dayOf(now);
  return mapLimited(sampleDays(registeredAt, movements, today), AS_OF_CONCURRENCY, async (day) => {
    // Today is asked about a minute ago: the API refuses instants past what it knows, and clocks differ a little.
    const at = day < today ? instantOf({ kind: 'as-of', date: day }) : new Date(now.getTime() - 60_000).toISOString();
    return { day, chips: (await api.getDataCenterAsOf(dataCenterId, at, signal)).chips };
  });
}

/**
 * Chips on site over the data center's whole life, stacked by origin and by 3A090 class: the as-of answer on every day
 * a chip movement occurred (from its history), so each step is where a fact put it. The day the view is on is marked.
 */
function MixOverTime({ dataCenterId, registeredAt, day }: { dataCenterId: string; registeredAt: string | null; day: string | null }) {
  const { api, revision } = useApp();
  const { resource, reload } = useResource<MixSample[]>(
    (signal) => (registeredAt === null ? Promise.resolve([]) : loadMixOverTime(api, dataCenterId, registeredAt, signal)),
    [api, dataCenterId, registeredAt, revision],
  );
  const specs = useMemo(() => {
    if (resource.status !== 'ready') return null;
    const samples = resource.data;
    return {
      origin: mixOverTimeChart('Chips on site by origin', seriesOf(samples, 'byOrigin', ORIGIN_ORDER), (k) => ORIGIN_LABELS[k] ?? k, (k) => (k === 'domestic' ? PALETTE.domestic : k === 'foreign' ? PALETTE.foreign : PALETTE.unknown), day),
      eccn: mixOverTimeChart('Chips on site by export-control class', seriesOf(samples, 'byClass', CLASS_ORDER), (k) => ECCN_CLASS_LABELS[k] ?? k, (k) => PALETTE.classes[k] ?? PALETTE.unknown, day),
    };
  }, [resource, day]);
  return (
    <section aria-labelledby="dc-mix-over-time" class="panel">
      <h2 id="dc-mix-over-time">Chip mix over time</h2>
      <p class="table-note">Chips on site (installed or in stock) after each delivery, removal and transfer, from the ledger's history.</p>
      {resource.status === 'loading' && <Loading what="the history of the chip mix" />}
      {resource.status === 'error' && <ErrorState error={resource.error} onRetry={reload} />}
      {specs && (
        <div class="chart-grid chart-grid-2">
          <figure>
            <figcaption>By origin</figcaption>
            <Chart spec={specs.origin} height={240} testId="chart-mix-origin" />
          </figure>
          <figure>
            <figcaption>By US export-control class</figcaption>
            <Chart spec={specs.eccn} height={240} testId="chart-mix-class" />
          </figure>
        </div>
      )}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const LICENCE_STATUS: Record<LicenceBalance['status'], string> = {
  active: 'Active',
  suspended: 'Suspended',
  revoked: 'Revoked',
  expired: 'Expired',
  'not-yet-valid': 'Not yet valid',
  exhausted: 'Exhausted',
  overdrawn: 'Overdrawn',
  unknown: 'Unknown licence',
};

function LicenceCard({ licence }: { licence: LicenceBalance }) {
  return (
    <article class="licence" aria-label={`Licence ${licence.licenceNumber ?? licence.licenceId}`}>
      <header class="licence-header">
        <h3>{licence.licenceNumber ?? licence.licenceId}</h3>
        <span class={`pill pill-${licence.status}`}>{LICENCE_STATUS[licence.status]}</span>
      </header>
      <p class="subtle">
        {licence.exporter ?? 'Unknown exporter'} → {licence.consigneeOrganisationId ?? '—'} ({countryName(licence.destinationCountry)}); {licence.modelIds.join(', ')}; valid {formatDate(licence.validFrom)} to{' '}
        {formatDate(licence.validTo)}
        {licence.revenueSharePercent ? `; ${licence.revenueSharePercent} % revenue share` : ''}
      </p>
      <BalanceBar authorised={licence.authorised} used={licence.used} remaining={licence.remaining} overdrawnBy={licence.overdrawnBy} />
    </article>
  );
}

const LICENCE_STATUS_AS_OF: Record<NonNullable<LicenceInUseAsOf['status']>, string> = { active: 'Active', suspended: 'Suspended', revoked: 'Revoked' };

/** A licence as it stood on a past day: its terms then, and what came here under it by then. */
function LicenceAsOfCard({ licence, day }: { licence: LicenceInUseAsOf; day: string }) {
  return (
    <article class="licence" aria-label={`Licence ${licence.licenceNumber ?? licence.licenceId}`}>
      <header class="licence-header">
        <h3>{licence.licenceNumber ?? licence.licenceId}</h3>
        <span class={`pill pill-${licence.status ?? 'unknown'}`}>{licence.status ? LICENCE_STATUS_AS_OF[licence.status] : 'Unknown licence'}</span>
      </header>
      <p class="subtle">
        → {licence.consigneeOrganisationId ?? '—'} ({countryName(licence.destinationCountry)}); {licence.modelIds.join(', ')}; valid {formatDate(licence.validFrom)} to {formatDate(licence.validTo)}
      </p>
      <dl class="balance-legend">
        <div>
          <dt>Authorised</dt>
          <dd>{licence.authorisedQuantity === null ? '—' : formatCount(licence.authorisedQuantity)}</dd>
        </div>
        <div>
          <dt>Delivered here by {day}</dt>
          <dd>{formatCount(licence.quantityHere)}</dd>
        </div>
      </dl>
      <p class="subtle">The balance across every site is shown live.</p>
    </article>
  );
}

function RentalsTable({ rentals }: { rentals: readonly RentalRow[] }) {
  return (
    <div class="table-scroll">
      <table class="data-table">
        <caption class="visually-hidden">Rentals of this data center's capacity</caption>
        <thead>
          <tr>
            <th scope="col">Tenant</th>
            <th scope="col">Chips</th>
            <th scope="col">Purpose</th>
            <th scope="col">Period</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rentals.map((r) => (
            <tr key={r.rentalId}>
              <th scope="row">{r.tenantOrganisationId ?? '—'}</th>
              <td>
                {formatCount(r.chipCount)} × {r.modelId ?? '—'}
              </td>
              <td>{r.purpose ?? '—'}</td>
              <td>
                {formatDate(r.periodStart)} → {formatDate(r.periodEnd)}
                {r.extensions > 0 && <span class="subtle"> (extended {r.extensions}×)</span>}
              </td>
              <td>{r.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
