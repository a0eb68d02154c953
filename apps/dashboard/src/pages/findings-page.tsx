import { useMemo, useState } from 'preact/hooks';
import { SEVERITIES, type DataCenter, type Finding, type Severity } from '../api/types';
import { SeverityBadge } from '../components/severity';
import { Empty, ErrorState, Loading } from '../components/states';
import { filterFindings, NO_FINDINGS_FILTER, orderFindings, summariseByRule, type FindingsFilter } from '../findings/findings-view';
import { CERTAINTY_LABELS, formatCount, formatDate, SEVERITY_LABELS } from '../format';
import { useApp } from '../state/app-state';
import { hrefOf } from '../state/route';
import { useResource } from '../state/use-resource';

interface FindingsData {
  readonly findings: Finding[];
  readonly dataCenters: DataCenter[];
}

export function FindingsPage() {
  const { api, revision } = useApp();
  const { resource, reload } = useResource<FindingsData>(
    async (signal) => {
      const [findings, dataCenters] = await Promise.all([api.listFindings({ status: 'open' }, signal), api.listDataCenters(signal)]);
      return { findings, dataCenters };
    },
    [api, revision],
  );
  return (
    <>
      <div class="page-heading">
        <h1 tabIndex={-1}>Open findings</h1>
        <p class="lede">Every open finding across the fleet, by rule and severity, and whether an auditor has acknowledged it.</p>
      </div>
      {resource.status === 'loading' && <Loading what="the findings" />}
      {resource.status === 'error' && <ErrorState error={resource.error} onRetry={reload} />}
      {resource.status === 'ready' &&
        (resource.data.findings.length === 0 ? (
          <Empty title="No open findings">
            <p>The rulebook flags nothing in the fleet you can see.</p>
          </Empty>
        ) : (
          <FindingsView data={resource.data} refreshing={resource.refreshing} />
        ))}
    </>
  );
}

function FindingsView({ data, refreshing }: { data: FindingsData; refreshing: boolean }) {
  const [filter, setFilter] = useState<FindingsFilter>(NO_FINDINGS_FILTER);
  const names = useMemo(() => new Map(data.dataCenters.map((d) => [d.dataCenterId, d.name ?? d.dataCenterId])), [data.dataCenters]);
  const nameOf = (id: string) => names.get(id) ?? id;
  const summary = useMemo(() => summariseByRule(data.findings), [data.findings]);
  const rows = orderFindings(filterFindings(data.findings, filter, nameOf));
  const choose = (ruleId: string, severity: Severity | null) => setFilter({ ...NO_FINDINGS_FILTER, ruleId, severity });

  return (
    <div aria-busy={refreshing}>
      <section aria-labelledby="by-rule" class="panel">
        <h2 id="by-rule">By rule and severity</h2>
        <div class="table-scroll">
          <table class="data-table summary-table">
            <caption class="visually-hidden">Open findings by rule and severity; choose a count to list those findings</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                {SEVERITIES.map((s) => (
                  <th key={s} scope="col" class="numeric">
                    {SEVERITY_LABELS[s]}
                  </th>
                ))}
                <th scope="col" class="numeric">
                  Acknowledged
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.map((r) => (
                <tr key={r.ruleId}>
                  <th scope="row">
                    <button type="button" class="link-button" onClick={() => choose(r.ruleId, null)}>
                      {r.ruleId}
                    </button>
                  </th>
                  {SEVERITIES.map((s) => (
                    <td key={s} class="numeric">
                      {r.counts[s] > 0 ? (
                        <button type="button" class={`link-button count-${s}`} onClick={() => choose(r.ruleId, s)} aria-label={`${r.counts[s]} ${s} findings under ${r.ruleId}`}>
                          {formatCount(r.counts[s])}
                        </button>
                      ) : (
                        <span class="muted">0</span>
                      )}
                    </td>
                  ))}
                  <td class="numeric">
                    {r.acknowledged} of {r.total}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="finding-list" class="panel">
        <h2 id="finding-list">Findings</h2>
        <form class="filters" role="search" aria-label="Filter findings" onSubmit={(e) => e.preventDefault()}>
          <label>
            Search
            <input type="search" value={filter.text} placeholder="Data center, model, text" onInput={(e) => setFilter({ ...filter, text: e.currentTarget.value })} />
          </label>
          <label>
            Severity
            <select value={filter.severity ?? ''} onChange={(e) => setFilter({ ...filter, severity: (e.currentTarget.value || null) as Severity | null })}>
              <option value="">All</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {SEVERITY_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Rule
            <select value={filter.ruleId ?? ''} onChange={(e) => setFilter({ ...filter, ruleId: e.currentTarget.value || null })}>
              <option value="">All rules</option>
              {summary.map((r) => (
                <option key={r.ruleId} value={r.ruleId}>
                  {r.ruleId}
                </option>
              ))}
            </select>
          </label>
          <label>
            Acknowledgement
            <select value={filter.acknowledgement} onChange={(e) => setFilter({ ...filter, acknowledgement: e.currentTarget.value as FindingsFilter['acknowledgement'] })}>
              <option value="any">Any</option>
              <option value="unacknowledged">Not acknowledged</option>
              <option value="acknowledged">Acknowledged</option>
            </select>
          </label>
          {filter !== NO_FINDINGS_FILTER && (
            <button type="button" class="button button-quiet" onClick={() => setFilter(NO_FINDINGS_FILTER)}>
              Clear filters
            </button>
          )}
        </form>
        <p class="table-note" aria-live="polite">
          {rows.length === data.findings.length ? `${rows.length} open findings` : `${rows.length} of ${data.findings.length} open findings`}
        </p>
        <div class="table-scroll">
          <table class="data-table findings-table">
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Rule</th>
                <th scope="col">Data center</th>
                <th scope="col">Chips</th>
                <th scope="col">Certainty</th>
                <th scope="col">Open since</th>
                <th scope="col">Acknowledged</th>
                <th scope="col">Finding</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((f) => (
                <tr key={f.id} data-finding-id={f.findingId}>
                  <td>
                    <SeverityBadge severity={f.severity} />
                  </td>
                  <td>{f.ruleId}</td>
                  <td>
                    <a href={hrefOf({ page: 'data-center', dataCenterId: f.dataCenterId })}>{nameOf(f.dataCenterId)}</a>
                  </td>
                  <td>{f.modelId ? `${formatCount(f.count)} × ${f.modelId}` : '—'}</td>
                  <td>{CERTAINTY_LABELS[f.certainty] ?? f.certainty}</td>
                  <td>{formatDate(f.openedAt)}</td>
                  <td>{f.acknowledged ? 'Yes' : 'No'}</td>
                  <td class="message">{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 && (
            <Empty title="No finding matches these filters">
              <button type="button" class="button" onClick={() => setFilter(NO_FINDINGS_FILTER)}>
                Clear the filters
              </button>
            </Empty>
          )}
        </div>
      </section>
    </div>
  );
}
