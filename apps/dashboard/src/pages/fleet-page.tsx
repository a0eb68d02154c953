import { useMemo, useState } from 'preact/hooks';
import type { DataCenter, Finding, FleetMixRow } from '../api/types';
import { classChart, originChart, vendorChart } from '../charts/options';
import { Chart } from '../components/chart';
import { CompletionMeter, MANDATE_COMPLETION_LINE, ShareMeter } from '../components/meters';
import { SeverityCounts } from '../components/severity';
import { SortableHeader } from '../components/sortable-header';
import { Empty, ErrorState, Loading } from '../components/states';
import { filterFleet, fleetRows, fleetTotals, NO_FLEET_FILTER, sortFleet, type FleetFilter, type FleetSort, type FleetSortKey } from '../fleet/fleet-rows';
import { countryName, formatCount, formatDate, formatPercent } from '../format';
import { useApp } from '../state/app-state';
import { hrefOf } from '../state/route';
import { useResource } from '../state/use-resource';

interface FleetData {
  readonly dataCenters: DataCenter[];
  readonly openFindings: Finding[];
  readonly byVendor: FleetMixRow[];
  readonly byClass: FleetMixRow[];
}

export function FleetPage() {
  const { api, revision } = useApp();
  const { resource, reload } = useResource<FleetData>(
    async (signal) => {
      const [dataCenters, openFindings, byVendor, byClass] = await Promise.all([
        api.listDataCenters(signal),
        api.listFindings({ status: 'open' }, signal),
        api.getFleetMix('vendor', signal),
        api.getFleetMix('class', signal),
      ]);
      return { dataCenters, openFindings, byVendor, byClass };
    },
    [api, revision],
  );

  return (
    <>
      <div class="page-heading">
        <h1 tabIndex={-1}>Fleet</h1>
        <p class="lede">Every data center the ledger knows, its chips and its open compliance findings.</p>
      </div>
      {resource.status === 'loading' && <Loading what="the fleet" />}
      {resource.status === 'error' && <ErrorState error={resource.error} onRetry={reload} />}
      {resource.status === 'ready' &&
        (resource.data.dataCenters.length === 0 ? (
          <Empty title="No data centers yet">
            <p>
              Record one through the API (see the README's “Using it”), or restart with <code>npm start -- --demo</code> for the demo fleet.
            </p>
          </Empty>
        ) : (
          <FleetView data={resource.data} refreshing={resource.refreshing} />
        ))}
    </>
  );
}

function FleetView({ data, refreshing }: { data: FleetData; refreshing: boolean }) {
  const totals = fleetTotals(data.dataCenters, data.openFindings);
  const specs = useMemo(() => ({ vendor: vendorChart(data.byVendor), origin: originChart(data.byVendor), eccn: classChart(data.byClass) }), [data]);
  return (
    <div aria-busy={refreshing}>
      <section aria-labelledby="fleet-totals" class="totals">
        <h2 id="fleet-totals" class="visually-hidden">
          Fleet totals
        </h2>
        <Total label="Data centers" value={formatCount(totals.dataCenters)} />
        <Total label="Chips installed" value={formatCount(totals.installed)} />
        <Total label="Rented out" value={formatCount(totals.rentedOut)} />
        <Total label="Domestic share" value={formatPercent(totals.domesticShare)} />
        <div class="total total-findings">
          <span class="total-label">Open findings</span>
          <span class="total-value">
            <SeverityCounts counts={totals.findings} />
          </span>
          <a href={hrefOf({ page: 'findings' })}>All findings</a>
        </div>
      </section>

      <section aria-labelledby="fleet-mix" class="panel">
        <h2 id="fleet-mix">Chip mix of the fleet</h2>
        <div class="chart-grid">
          <figure>
            <figcaption>Installed by vendor</figcaption>
            <Chart spec={specs.vendor} testId="chart-vendor" />
          </figure>
          <figure>
            <figcaption>Domestic and foreign</figcaption>
            <Chart spec={specs.origin} testId="chart-origin" />
          </figure>
          <figure>
            <figcaption>By US export-control class</figcaption>
            <Chart spec={specs.eccn} testId="chart-class" />
          </figure>
        </div>
      </section>

      <FleetTable dataCenters={data.dataCenters} openFindings={data.openFindings} />
    </div>
  );
}

function Total({ label, value }: { label: string; value: string }) {
  return (
    <div class="total">
      <span class="total-label">{label}</span>
      <span class="total-value">{value}</span>
    </div>
  );
}

function FleetTable({ dataCenters, openFindings }: { dataCenters: DataCenter[]; openFindings: Finding[] }) {
  const [filter, setFilter] = useState<FleetFilter>(NO_FLEET_FILTER);
  const [sort, setSort] = useState<FleetSort>({ key: 'findings', direction: 'descending' });
  const all = useMemo(() => fleetRows(dataCenters, openFindings), [dataCenters, openFindings]);
  const rows = sortFleet(filterFleet(all, filter), sort);
  const countries = [...new Set(all.map((r) => r.country).filter((c): c is string => c !== null))].sort((a, b) => countryName(a).localeCompare(countryName(b)));
  const header = (key: FleetSortKey, label: string, numeric = false) => (
    <SortableHeader column={key} sort={sort} onSort={setSort} numeric={numeric}>
      {label}
    </SortableHeader>
  );

  return (
    <section aria-labelledby="fleet-table" class="panel">
      <h2 id="fleet-table">Data centers</h2>
      <form class="filters" role="search" aria-label="Filter data centers" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" value={filter.text} placeholder="Name, owner, region" onInput={(e) => setFilter({ ...filter, text: e.currentTarget.value })} />
        </label>
        <label>
          Country
          <select value={filter.country ?? ''} onChange={(e) => setFilter({ ...filter, country: e.currentTarget.value || null })}>
            <option value="">All countries</option>
            {countries.map((c) => (
              <option key={c} value={c}>
                {countryName(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Funding
          <select value={filter.funding} onChange={(e) => setFilter({ ...filter, funding: e.currentTarget.value as FleetFilter['funding'] })}>
            <option value="any">Any</option>
            <option value="state-funded">State-funded</option>
            <option value="private">No state funding</option>
          </select>
        </label>
        <label class="checkbox">
          <input type="checkbox" checked={filter.withFindings} onChange={(e) => setFilter({ ...filter, withFindings: e.currentTarget.checked })} />
          With open findings only
        </label>
      </form>
      <p class="table-note" aria-live="polite">
        {rows.length === all.length ? `${rows.length} data centers` : `${rows.length} of ${all.length} data centers`}. The completion bar marks Beijing's{' '}
        {MANDATE_COMPLETION_LINE} % line: a state-funded site under it on 2025-11-05 must remove foreign chips; over it, they are reviewed case by case.
      </p>
      <div class="table-scroll">
        <table class="data-table" aria-labelledby="fleet-table">
          <thead>
            <tr>
              {header('name', 'Data center')}
              {header('country', 'Country')}
              {header('owner', 'Owner')}
              {header('stateFunded', 'State funding')}
              {header('completionPercent', 'Completion', true)}
              {header('installed', 'Installed', true)}
              {header('rentedOut', 'Rented out', true)}
              {header('domesticShare', 'Domestic share', true)}
              {header('findings', 'Open findings', true)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.dataCenterId} data-data-center-id={r.dataCenterId}>
                <th scope="row">
                  <a href={hrefOf({ page: 'data-center', dataCenterId: r.dataCenterId })}>{r.name}</a>
                  <span class="subtle">{r.region ?? r.dataCenterId}</span>
                </th>
                <td>{countryName(r.country)}</td>
                <td>{r.owner}</td>
                <td>{r.stateFunded ? `Yes, since ${formatDate(r.stateFundedAt)}` : 'No'}</td>
                <td class="numeric">
                  <CompletionMeter percent={r.completionPercent} />
                </td>
                <td class="numeric">{formatCount(r.installed)}</td>
                <td class="numeric">{formatCount(r.rentedOut)}</td>
                <td class="numeric">
                  <ShareMeter share={r.domesticShare} />
                </td>
                <td class="numeric">
                  <SeverityCounts counts={r.findings} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && (
          <Empty title="No data center matches these filters">
            <button type="button" class="button" onClick={() => setFilter(NO_FLEET_FILTER)}>
              Clear the filters
            </button>
          </Empty>
        )}
      </div>
    </section>
  );
}
