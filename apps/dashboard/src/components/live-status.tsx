import { useApp } from '../state/app-state';
import { describeViewTime } from '../state/view-time';

const LIVE_TEXT = { off: 'Offline', connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', unauthorised: 'Signed out' } as const;

/** "Live" while the change stream is open (or "As of <date>" once the time slider moved the view), always visible. */
export function LiveStatus() {
  const { live, viewTime, lastChangeAt } = useApp();
  const text = viewTime.kind === 'live' ? LIVE_TEXT[live] : describeViewTime(viewTime);
  const state = viewTime.kind === 'live' ? live : 'as-of';
  return (
    <p class={`live-status live-${state}`} role="status" data-state={state} title={lastChangeAt ? `Last change received ${lastChangeAt.toLocaleTimeString()}` : undefined}>
      <span class="live-dot" aria-hidden="true" />
      {text}
    </p>
  );
}
