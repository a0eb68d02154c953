import type { Certainty, EvidenceRef, Finding, FindingAsOf, Severity } from '../api/types';
import { CERTAINTY_LABELS, formatCount, formatDate } from '../format';
import { hrefOf } from '../state/route';
import { SeverityBadge } from './severity';

/** A finding as a card shows it, from the findings read model (live) or an as-of answer. */
export interface FindingCardModel {
  /** Unique on the page (an interval's id, or the finding id as of a day). */
  readonly key: string;
  readonly findingId: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly certainty: Certainty;
  readonly status: 'open' | 'closed';
  readonly message: string;
  readonly acknowledged: boolean;
  readonly modelId: string | null;
  readonly count: number;
  readonly source: { readonly citation: string; readonly url: string };
  /** When it was (is) open, said for a person. */
  readonly effective: string;
  readonly evidence: readonly EvidenceRef[];
}

/** A finding interval of the findings read model: open from when it opened until it closed. */
export const cardOfFinding = (f: Finding): FindingCardModel => ({
  key: f.id,
  findingId: f.findingId,
  ruleId: f.ruleId,
  severity: f.severity,
  certainty: f.certainty,
  status: f.status,
  message: f.message,
  acknowledged: f.acknowledged,
  modelId: f.modelId,
  count: f.count,
  source: f.source,
  effective: `${formatDate(f.openedAt)} → ${f.closedAt ? formatDate(f.closedAt) : 'open'}`,
  evidence: f.evidence.map((eventId) => ({ eventId, type: null, occurredAt: null })),
});

/** A finding open at the end of `day`, as the as-of answer evaluated it (it knows the rule's period, not the interval's). */
export const cardOfFindingAsOf = (f: FindingAsOf, day: string): FindingCardModel => ({
  key: f.findingId,
  findingId: f.findingId,
  ruleId: f.ruleId,
  severity: f.severity,
  certainty: f.certainty,
  status: 'open',
  message: f.message,
  acknowledged: f.acknowledged,
  modelId: f.modelId,
  count: f.count,
  source: f.source,
  effective: `open on ${day}; rule in force from ${formatDate(f.inForce.from)}${f.inForce.to ? ` to ${formatDate(f.inForce.to)}` : ''}`,
  evidence: f.evidence,
});

/** The events a finding rests on, each a link to its page in the audit history (`#/events/<id>`). */
export function EvidenceLinks({ evidence }: { evidence: readonly EvidenceRef[] }) {
  return (
    <ul class="evidence-list">
      {evidence.map((e) => (
        <li key={e.eventId}>
          <a href={hrefOf({ page: 'event', eventId: e.eventId })} data-event-id={e.eventId} title={e.eventId}>
            {e.type ?? 'Event'}
            {e.occurredAt && <span class="subtle"> {formatDate(e.occurredAt)}</span>} <code>{e.eventId.slice(0, 8)}</code>
          </a>
        </li>
      ))}
    </ul>
  );
}

/** One finding: rule, severity, certainty, what it concerns, the period it is (was) open, its source and its evidence. */
export function FindingCard({ finding }: { finding: FindingCardModel }) {
  const headingId = `finding-${finding.key}`;
  return (
    <article class={`finding finding-${finding.severity}`} aria-labelledby={headingId} data-finding-id={finding.findingId} data-status={finding.status}>
      <header class="finding-header">
        <SeverityBadge severity={finding.severity} />
        <h4 id={headingId} class="finding-rule">
          {finding.ruleId}
        </h4>
        <span class="finding-certainty">{CERTAINTY_LABELS[finding.certainty] ?? finding.certainty}</span>
        {finding.acknowledged ? <span class="pill pill-ack">Acknowledged by an auditor</span> : <span class="pill">Not acknowledged</span>}
      </header>
      <p class="finding-message">{finding.message}</p>
      <dl class="finding-facts">
        <div>
          <dt>Effective</dt>
          <dd>{finding.effective}</dd>
        </div>
        {finding.modelId && (
          <div>
            <dt>Chips</dt>
            <dd>
              {formatCount(finding.count)} × {finding.modelId}
            </dd>
          </div>
        )}
        <div>
          <dt>Source</dt>
          <dd>
            <a href={finding.source.url} target="_blank" rel="noreferrer noopener">
              {finding.source.citation}
            </a>
          </dd>
        </div>
        <div>
          <dt>Evidence</dt>
          <dd>
            <EvidenceLinks evidence={finding.evidence} />
          </dd>
        </div>
      </dl>
    </article>
  );
}
