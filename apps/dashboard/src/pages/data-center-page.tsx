import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import type { DataCenterDetail, Finding, LicenceBalance, Rental } from '../api/types';
import { chipMixChart } from '../charts/options';
import { Chart } from '../components/chart';
import { FindingCard } from '../components/finding-card';
import { BalanceBar, CompletionMeter, ShareMeter } from '../components/meters';
import { SeverityCounts } from '../components/severity';
import { Empty, ErrorState, Loading } from '../components/states';
import { countOpenFindings } from '../fleet/fleet-rows';
import { orderFindings } from '../findings/findings-view';
import { countryName, ECCN_CLASS_LABELS, formatCount, formatDate } from '../format';
import { useApp } from '../state/app-state';
import { hrefOf } from '../state/route';
import { useResource } from '../state/use-resource';

interface DataCenterData {
  readonly detail: DataCenterDetail;
  readonly closedFindings: Finding[];
  readonly rentals: Rental[];
  readonly licences: LicenceBalance[];
}

export function DataCenterPage({ dataCenterId }: { dataCenterId: string }) {
  const { api, revision } = useApp();
  const { resource, reload } = useResource<DataCenterData>(
    async (signal) => {
      const [detail, closedFindings, rentals, licences] = await Promise.all([
        api.getDataCenter(dataCenterId, signal),
        api.listFindings({ status: 'closed', dataCenterId }, signal),
        api.listRentals({ providerDataCenterId: dataCenterId }, signal),
        api.listLicencesUsedAt(dataCenterId, signal),
      ]);
      return { detail, closedFindings, rentals, licences };
    },
    [api, dataCenterId, revision],
  );
  const title = resource.status === 'ready' ? (resource.data.detail.name ?? dataCenterId) : dataCenterId;

  return (
    <>
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <a href={hrefOf({ page: 'fleet' })}>Fleet</a> <span aria-hidden="true">›</span> <span aria-current="page">{title}</span>
      </nav>
      <div class="page-heading">
        <h1 tabIndex={-1}>{title}</h1>
      </div>
      {resource.status === 'loading' && <Loading what={`data center ${dataCenterId}`} />}
      {resource.status === 'error' && <ErrorState error={resource.error} onRetry={reload} notFound={`Data center ${dataCenterId} does not exist, or your organisation may not see it.`} />}
      {resource.status === 'ready' && <DataCenterView data={resource.data} refreshing={resource.refreshing} />}
    </>
  );
}

function DataCenterView({ data, refreshing }: { data: DataCenterData; refreshing: boolean }) {
  const { detail } = data;
  const spec = useMemo(() => chipMixChart(detail.chipMix), [detail.chipMix]);
  const open = orderFindings(detail.openFindings);
  const counts = countOpenFindings(detail.openFindings).get(detail.dataCenterId) ?? { breach: 0, review: 0, risk: 0 };
  const installed = detail.totals.installed;
  return (
    <div aria-busy={refreshing}>
      <section aria-label="About this data center" class="panel facts">
        <dl class="fact-grid">
          <Fact label="Owner">{detail.ownerName ?? detail.ownerOrganisationId ?? '—'}</Fact>
          <Fact label="Where">
            {detail.region ? `${detail.region}, ` : ''}
            {countryName(detail.country)}
          </Fact>
          <Fact label="Registered">{formatDate(detail.registeredAt)}</Fact>
          <Fact label="State funding">{detail.stateFunded ? `Yes, reported ${formatDate(detail.stateFundedAt)}` : 'None reported'}</Fact>
          <Fact label="Completion">
            <CompletionMeter percent={detail.completionPercent} />
            {detail.completionReportedAt && <span class="subtle block">reported {formatDate(detail.completionReportedAt)}</span>}
          </Fact>
          <Fact label="Installed">
            {formatCount(installed)} <span class="subtle">({formatCount(detail.totals.inStock)} in stock, {formatCount(detail.totals.onOrder)} on order)</span>
          </Fact>
          <Fact label="Rented out">{formatCount(detail.totals.rentedOut)}</Fact>
          <Fact label="Domestic share">
            <ShareMeter share={installed > 0 ? detail.totals.domesticInstalled / installed : null} />
          </Fact>
          <Fact label="Open findings">
            <SeverityCounts counts={counts} />
          </Fact>
        </dl>
      </section>

      <section aria-labelledby="dc-findings" class="panel">
        <h2 id="dc-findings">Open findings</h2>
        {open.length === 0 ? (
          <Empty title="No open findings">
            <p>Nothing the rulebook flags at this data center now.</p>
          </Empty>
        ) : (
          <div class="finding-list" data-testid="open-findings">
            {open.map((f) => (
              <FindingCard key={f.id} finding={f} />
            ))}
          </div>
        )}
        {data.closedFindings.length > 0 && (
          <details class="closed-findings" data-testid="closed-findings">
            <summary>
              {data.closedFindings.length} closed finding{data.closedFindings.length === 1 ? '' : 's'}
            </summary>
            <div class="finding-list">
              {data.closedFindings.map((f) => (
                <FindingCard key={f.id} finding={f} />
              ))}
            </div>
          </details>
        )}
      </section>

      <section aria-labelledby="dc-mix" class="panel">
        <h2 id="dc-mix">Chip mix</h2>
        {detail.chipMix.length === 0 ? (
          <Empty title="No chips recorded here yet" />
        ) : (
          <>
            <Chart spec={spec} height={Math.max(160, 48 * detail.chipMix.length + 60)} testId="chart-chip-mix" />
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
                  {detail.chipMix.map((line) => (
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
          </>
        )}
      </section>

      <div class="two-columns">
        <section aria-labelledby="dc-licences" class="panel">
          <h2 id="dc-licences">Export licences in use</h2>
          {data.licences.length === 0 ? (
            <Empty title="No delivery here cited a licence" />
          ) : (
            data.licences.map((l) => <LicenceCard key={l.licenceId} licence={l} />)
          )}
        </section>
        <section aria-labelledby="dc-rentals" class="panel">
          <h2 id="dc-rentals">Capacity rented out</h2>
          {data.rentals.length === 0 ? <Empty title="No rentals from this data center" /> : <RentalsTable rentals={data.rentals} />}
        </section>
      </div>
    </div>
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

function RentalsTable({ rentals }: { rentals: Rental[] }) {
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
