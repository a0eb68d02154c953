import { useState } from 'preact/hooks';
import { classChart, originChart, vendorBars, vendorChart, type ChartSpec } from '../charts/options';
import { Chart } from '../components/chart';
import { CompletionMeter, MANDATE_COMPLETION_LINE, ShareMeter } from '../components/meters';
import { SeverityCounts } from '../components/severity';
import { SortableHeader } from '../components/sortable-header';
import { Empty, ErrorState, Loading } from '../components/states';
import { TimeBar } from '../components/time-bar';
import { filterFleet, fleetRows, fleetRowsAsOf, fleetTotals, fleetTotalsAsOf, NO_FLEET_FILTER, sortFleet, type FleetFilter, type FleetRow, type FleetSort, type FleetSortKey, type FleetTotals } from '../fleet/fleet-rows';
import { countryName, formatCount, formatDate, formatPercent } from '../format';
import { useApp } from '../state/app-state';
import { hrefOf } from '../state/route';
import { useResource } from '../state/use-resource';
import { instantOf } from '../state/view-time';

/** What the page draws, whether read live from the read models or as of a day from the auditors' API. */
interface FleetModel {
  readonly rows: FleetRow[];
  readonly totals: FleetTotals;
  readonly charts: { readonly vendor: ChartSpec; readonly origin: ChartSpec; readonly eccn: ChartSpec };
}

const sumOf = (counts: Readonly<Record<string, number>>, ...keys: string[]): number => keys.reduce((n, k) => n + (counts[k] ?? 0), 0);

export function FleetPage() {
  const { api, revision, viewTime } = useApp();
  const at = viewTime.kind === 'as-of' ? instantOf(viewTime) : null;
  const { resource, reload } = useResource<FleetModel>(
    async (signal) => {
      if (at !== null) {
        const asOf = await api.getFleetAsOf(at, signal);
        const { byOrigin, byClass, byVendor } = asOf.installed;
        return {
          rows: fleetRowsAsOf(asOf),
          totals: fleetTotalsAsOf(asOf),
          charts: {
            // The as-of answer counts vendors without their origin: those bars stay neutral.
            vendor: vendorChart(Object.entries(byVendor).map(([label, installed]) => ({ label, installed, origin: null }))),
            origin: originChart({ domestic: sumOf(byOrigin, 'domestic'), foreign: sumOf(byOrigin, 'foreign', 'unknown') }),
            eccn: classChart(Object.entries(byClass).map(([key, installed]) => ({ key, installed }))),
          },
        };
      }
      const [dataCenters, openFindings, byVendor, byClass] = await Promise.all([
        api.listDataCenters(signal),
        api.listFindings({ status: 'open' }, signal),
        api.getFleetMix('vendor', signal),
        api.getFleetMix('class', signal),
      ]);
      return {
        rows: fleetRows(dataCenters, openFindings),
        totals: fleetTotals(dataCenters, openFindings),
        charts: {
          vendor: vendorChart(vendorBars(byVendor)),
          origin: originChart({ domestic: byVendor.reduce((n, r) => n + r.domesticInstalled, 0), foreign: byVendor.reduce((n, r) => n + r.foreignInstalled, 0) }),
          eccn: classChart(byClass),
        },
      };
    },
    // Live: reload on every change. As of a day: only when the day changes.
    [api, at, at === null ? revision : null],
  );

  return (
    <>
      <div class="page-heading">
        <h1 tabIndex={-1}>Fleet</h1>
        <p class="lede">
          {at === null
            ? 'Every data center the ledger knows, its chips and its open compliance findings.'
            : `Every data center registered by the end of ${at.slice(0, 10)}, its chips and the findings open then.`}
        </p>
      </div>
      <TimeBar />
      {resource.status === 'loading' && <Loading what={at === null ? 'the fleet' : `the fleet as of ${at.slice(0, 10)}`} />}
      {resource.status === 'error' && <ErrorState error={resource.error} onRetry={reload} />}
      {resource.status === 'ready' &&
        (resource.data.rows.length === 0 ? (
          at === null ? (
            <Empty title="No data centers yet">
              <p>
                Record one through the API (see the README's “Using it”), or restart with <code>npm start -- --demo</code> for the demo fleet.
              </p>
            </Empty>
          ) : (
            <Empty title={`No data center was registered by ${at.slice(0, 10)}`}>
              <p>Move the slider to a later day.</p>
            </Empty>
          )
        ) : (
          <FleetView model={resource.data} refreshing={resource.refreshing} />
        ))}
    </>
  );
}

function FleetView({ model, refreshing }: { model: FleetModel; refreshing: boolean }) {
  const { totals, charts } = model;
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
            <Chart spec={charts.vendor} testId="chart-vendor" />
          </figure>
          <figure>
            <figcaption>Domestic and foreign</figcaption>
            <Chart spec={charts.origin} testId="chart-origin" />
          </figure>
          <figure>
            <figcaption>By US export-control class</figcaption>
            <Chart spec={charts.eccn} testId="chart-class" />
          </figure>
        </div>
      </section>

      <FleetTable all={model.rows} />
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

function FleetTable({ all }: { all: FleetRow[] }) {
  const [filter, setFilter] = useState<FleetFilter>(NO_FLEET_FILTER);
  const [sort, setSort] = useState<FleetSort>({ key: 'findings', direction: 'descending' });
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
