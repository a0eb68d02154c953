import { SEVERITIES, type Severity } from '../api/types';
import { SEVERITY_LABELS } from '../format';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span class={`badge badge-${severity}`}>{SEVERITY_LABELS[severity]}</span>;
}

const PLURALS: Record<Severity, [string, string]> = { breach: ['breach', 'breaches'], review: ['review', 'reviews'], risk: ['risk', 'risks'] };

/** "2 breaches, 1 review" as compact badges; "None open" when there is nothing. */
export function SeverityCounts({ counts }: { counts: Readonly<Record<Severity, number>> }) {
  const present = SEVERITIES.filter((s) => counts[s] > 0);
  if (present.length === 0) return <span class="muted">None open</span>;
  return (
    <span class="severity-counts">
      {present.map((s) => (
        <span key={s} class={`badge badge-${s}`} data-severity={s}>
          {counts[s]} {PLURALS[s][counts[s] === 1 ? 0 : 1]}
        </span>
      ))}
    </span>
  );
}
