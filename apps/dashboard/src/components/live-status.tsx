import { useApp } from '../state/app-state';
import { describeViewTime, LIVE } from '../state/view-time';

const LIVE_TEXT = { off: 'Offline', connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', unauthorised: 'Signed out' } as const;

/**
 * "Live" while the change stream is open, or "As of <date>" once the time slider moved the view (with the way back to
 * live, which opens the stream again), always visible.
 */
export function LiveStatus() {
  const { live, viewTime, setViewTime, lastChangeAt } = useApp();
  const text = viewTime.kind === 'live' ? LIVE_TEXT[live] : describeViewTime(viewTime);
  const state = viewTime.kind === 'live' ? live : 'as-of';
  return (
    <>
      <p class={`live-status live-${state}`} role="status" data-state={state} title={lastChangeAt ? `Last change received ${lastChangeAt.toLocaleTimeString()}` : undefined}>
        <span class="live-dot" aria-hidden="true" />
        {text}
      </p>
      {viewTime.kind === 'as-of' && (
        <button type="button" class="button button-quiet back-to-live" onClick={() => setViewTime(LIVE)}>
          Back to live
        </button>
      )}
    </>
  );
}
