import { formatCount, formatPercent } from '../format';

/** Beijing's line between removal and case-by-case review (CN-STATE-FUNDED-DOMESTIC's completionThresholdPercent). */
export const MANDATE_COMPLETION_LINE = 30;

/** Construction completion, with the mandate's 30 % line marked. */
export function CompletionMeter({ percent }: { percent: number | null }) {
  if (percent === null) return <span class="muted">Not reported</span>;
  const side = percent < MANDATE_COMPLETION_LINE ? 'under' : 'at or over';
  return (
    <span class="meter-cell">
      <span
        class={`meter ${percent < MANDATE_COMPLETION_LINE ? 'meter-under' : 'meter-over'}`}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-label={`Construction ${percent} % complete, ${side} the 30 % line`}
      >
        <span class="meter-fill" style={{ width: `${Math.min(100, percent)}%` }} />
        <span class="meter-line" style={{ left: `${MANDATE_COMPLETION_LINE}%` }} aria-hidden="true" />
      </span>
      <span class="meter-value">{percent} %</span>
    </span>
  );
}

/** Share of installed chips from domestic vendors. */
export function ShareMeter({ share }: { share: number | null }) {
  if (share === null) return <span class="muted">Nothing installed</span>;
  return (
    <span class="meter-cell">
      <span class="meter meter-share" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)} aria-label={`Domestic share of installed chips ${formatPercent(share)}`}>
        <span class="meter-fill" style={{ width: `${share * 100}%` }} />
      </span>
      <span class="meter-value">{formatPercent(share)}</span>
    </span>
  );
}

/** A licence's authorised quantity split into used and remaining (and what was drawn beyond it). */
export function BalanceBar({ authorised, used, remaining, overdrawnBy }: { authorised: number; used: number; remaining: number; overdrawnBy: number }) {
  const scale = Math.max(authorised, used, 1);
  const within = Math.min(used, authorised);
  return (
    <div class="balance">
      <div
        class="balance-bar"
        role="img"
        aria-label={`${formatCount(used)} of ${formatCount(authorised)} authorised used, ${formatCount(remaining)} remaining${overdrawnBy > 0 ? `, overdrawn by ${formatCount(overdrawnBy)}` : ''}`}
      >
        <span class="balance-used" style={{ width: `${(within / scale) * 100}%` }} />
        <span class="balance-remaining" style={{ width: `${(remaining / scale) * 100}%` }} />
        {overdrawnBy > 0 && <span class="balance-over" style={{ width: `${(overdrawnBy / scale) * 100}%` }} />}
      </div>
      <dl class="balance-legend">
        <div>
          <dt>Authorised</dt>
          <dd>{formatCount(authorised)}</dd>
        </div>
        <div>
          <dt>
            <span class="swatch swatch-used" aria-hidden="true" />
            Used
          </dt>
          <dd>{formatCount(used)}</dd>
        </div>
        <div>
          <dt>
            <span class="swatch swatch-remaining" aria-hidden="true" />
            Remaining
          </dt>
          <dd>{formatCount(remaining)}</dd>
        </div>
        {overdrawnBy > 0 && (
          <div>
            <dt>
              <span class="swatch swatch-over" aria-hidden="true" />
              Overdrawn
            </dt>
            <dd>{formatCount(overdrawnBy)}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}
