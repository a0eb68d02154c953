import { useEffect, useRef, useState } from 'preact/hooks';
import type { RuleAt } from '../api/types';
import { CERTAINTY_LABELS, formatDate } from '../format';
import { NOT_SERVED } from './states';
import { useApp } from '../state/app-state';
import { useResource } from '../state/use-resource';
import { addDays, dayOf, daysBetween, instantOf, isDate, viewTimeFor } from '../state/view-time';

/** A drag asks for one as-of, once the thumb rests this long (each answer folds the ledger). */
const SETTLE_MS = 400;

const STATUS_LABELS: Record<RuleAt['status'], string> = {
  'in-force': 'In force',
  'not-yet-in-force': 'Not yet in force',
  ended: 'Ended',
  'announced-not-enforced': 'Announced, not enforced',
};

/**
 * The time slider: a day from the first registration the user can see to today (today is live), a date field for
 * typing one, and the rules of the rulebook as they stood on that day. Moving it moves every page (the app's one view
 * time); the header shows where the view is and brings it back to live.
 */
export function TimeBar() {
  const { api, viewTime, setViewTime, ledgerStart } = useApp();
  const today = dayOf(new Date());
  const start = ledgerStart < today ? ledgerStart : addDays(today, -1);
  const committed = viewTime.kind === 'live' ? today : viewTime.date;
  const [draft, setDraft] = useState(committed);
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => setDraft(committed), [committed]);
  useEffect(() => () => void (settle.current && clearTimeout(settle.current)), []);

  const commit = (date: string) => {
    if (settle.current) clearTimeout(settle.current);
    settle.current = null;
    setDraft(date);
    setViewTime(viewTimeFor(date, today));
  };
  const slide = (date: string) => {
    setDraft(date);
    if (settle.current) clearTimeout(settle.current);
    settle.current = setTimeout(() => commit(date), SETTLE_MS);
  };

  const span = Math.max(1, daysBetween(start, today));
  const position = Math.min(span, Math.max(0, daysBetween(start, draft)));
  const at = viewTime.kind === 'live' ? undefined : instantOf(viewTime);
  const { resource: rules } = useResource((signal) => api.listRulesAt(at, signal), [api, at]);
  // Without the auditors' API there is no past to move to: say so instead of offering a slider that fails.
  const unavailable = rules.status === 'error' && rules.error.kind === 'not-served';

  return (
    <section class="panel time-bar" aria-labelledby="time-bar-heading" data-view={viewTime.kind}>
      <div class="time-bar-controls">
        <h2 id="time-bar-heading" class="time-bar-heading">
          Time
        </h2>
        <label class="time-slider">
          <span class="visually-hidden">Day to view, from {start} to today (live)</span>
          <input
            type="range"
            min={0}
            max={span}
            step={1}
            value={position}
            disabled={unavailable}
            aria-valuetext={draft >= today ? 'Today, live' : draft}
            onInput={(e) => slide(addDays(start, Number(e.currentTarget.value)))}
            onChange={(e) => commit(addDays(start, Number(e.currentTarget.value)))}
          />
          <span class="time-slider-ends" aria-hidden="true">
            <span>{start}</span>
            <span>today</span>
          </span>
        </label>
        <label class="time-date">
          Date
          <input
            type="date"
            min={start}
            max={today}
            value={draft}
            disabled={unavailable}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (isDate(value) && value >= start) commit(value > today ? today : value);
            }}
          />
        </label>
      </div>
      <p class="time-bar-note" aria-live="polite">
        {unavailable
          ? NOT_SERVED
          : viewTime.kind === 'live'
          ? 'Showing the ledger now, updated live. Move the slider to see any past day as the ledger records it.'
          : `Showing the world at the end of ${viewTime.date} (UTC), as the ledger records it now. Live updates are paused.`}
      </p>
      {!unavailable && <RulesInForce rules={rules.status === 'ready' ? rules.data : null} failed={rules.status === 'error'} day={viewTime.kind === 'live' ? 'today' : viewTime.date} />}
    </section>
  );
}

function RulesInForce({ rules, failed, day }: { rules: readonly RuleAt[] | null; failed: boolean; day: string }) {
  if (failed) return <p class="muted">The rulebook could not be read.</p>;
  if (!rules) return <p class="muted">Reading the rulebook…</p>;
  const inForce = rules.filter((r) => r.judgesFactsAt);
  const others = rules.filter((r) => !r.judgesFactsAt);
  return (
    <div class="rules-at" data-testid="rules-in-force">
      <h3 class="rules-at-heading">
        Rules in force {day === 'today' ? 'today' : `on ${day}`}: {inForce.length} of {rules.length}
      </h3>
      <ul class="rule-chips">
        {inForce.map((r) => (
          <li key={r.ruleId} class="rule-chip" data-rule-id={r.ruleId} title={`${r.title}. ${r.explanation}`}>
            {r.ruleId}
          </li>
        ))}
      </ul>
      <details class="rules-details">
        <summary>Every rule and its standing {day === 'today' ? 'today' : `on ${day}`}</summary>
        <table class="data-table">
          <caption class="visually-hidden">The rulebook on {day}</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Standing</th>
              <th scope="col">Period</th>
              <th scope="col">Certainty</th>
            </tr>
          </thead>
          <tbody>
            {[...inForce, ...others].map((r) => (
              <tr key={r.ruleId} data-rule-status={r.status}>
                <th scope="row">
                  {r.ruleId}
                  <span class="subtle block">{r.title}</span>
                </th>
                <td>{STATUS_LABELS[r.status]}</td>
                <td>
                  {formatDate(r.inForce.from)} → {r.inForce.to ? formatDate(r.inForce.to) : 'open'}
                </td>
                <td>{CERTAINTY_LABELS[r.certainty] ?? r.certainty}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
