import type { ComponentChildren } from 'preact';
import type { Finding } from '../api/types';
import { CERTAINTY_LABELS, formatCount, formatDate } from '../format';
import { SeverityBadge } from './severity';

/** The events a finding rests on. Plain ids for now; the audit history's event pages give each one a link. */
export function EvidenceIds({ finding }: { finding: Finding }) {
  return (
    <ul class="evidence-list">
      {finding.evidence.map((eventId) => (
        <li key={eventId}>
          <code>{eventId}</code>
        </li>
      ))}
    </ul>
  );
}

/**
 * One finding: rule, severity, certainty, what it concerns, the period it is (was) open, its source and its evidence.
 * `evidence` renders the evidence events (default: their ids).
 */
export function FindingCard({ finding, evidence }: { finding: Finding; evidence?: (finding: Finding) => ComponentChildren }) {
  const headingId = `finding-${finding.id}`;
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
          <dd>
            {formatDate(finding.openedAt)} → {finding.closedAt ? formatDate(finding.closedAt) : 'open'}
          </dd>
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
          <dd>{(evidence ?? ((f: Finding) => <EvidenceIds finding={f} />))(finding)}</dd>
        </div>
      </dl>
    </article>
  );
}
