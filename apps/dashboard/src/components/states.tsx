import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/client';
import { hrefOf } from '../state/route';

export function Loading({ what }: { what: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <p class="state-title">{title}</p>
      {children}
    </div>
  );
}

const HEADINGS: Record<ApiError['kind'], string> = {
  network: 'The Chip Ledger API does not answer',
  unauthorised: 'Your token was refused',
  forbidden: 'Your role may not see this',
  'not-found': 'Not found',
  'not-served': 'This server does not offer that part of the API',
  unavailable: 'The ledger is briefly unavailable',
  invalid: 'The request was refused',
  server: 'The API failed to answer',
};

export const NOT_SERVED =
  'The time slider, the chip mix over time and the evidence pages read the auditors’ API (as-of, histories, events, rules). npm start serves it beside the page; in the distributed form it is audit-service’s: route /audit, /rules and /events/{id} to it in front of the projection service.';

/** A failed load, said plainly, with what to do next. */
export function ErrorState({ error, onRetry, notFound, forbidden }: { error: ApiError; onRetry?: () => void; notFound?: string; forbidden?: string }) {
  const advice =
    error.kind === 'network'
      ? (
          <>
            Is <code>npm start</code> still running? The page retries when you ask, and follows live changes again once the API is back.
          </>
        )
      : error.kind === 'unauthorised'
        ? 'Sign in again with a fresh token.'
        : error.kind === 'not-found'
          ? (notFound ?? 'It does not exist, or belongs to another organisation.')
          : error.kind === 'forbidden'
            ? (forbidden ?? 'Ask an auditor, or sign in with a role that may read it.')
            : error.kind === 'not-served'
              ? NOT_SERVED
              : error.kind === 'unavailable'
              ? 'A dependency of the API is down or the read models are catching up. Try again in a moment.'
              : null;
  return (
    <div class="state state-error" role="alert">
      <p class="state-title">{HEADINGS[error.kind]}</p>
      <p>{error.message}</p>
      {advice && <p>{advice}</p>}
      <p class="state-actions">
        {error.kind === 'unauthorised' ? (
          <a class="button" href={hrefOf({ page: 'sign-in' })}>
            Sign in
          </a>
        ) : (
          onRetry && error.kind !== 'not-found' && error.kind !== 'forbidden' && error.kind !== 'not-served' && (
            <button type="button" class="button" onClick={onRetry}>
              Try again
            </button>
          )
        )}
      </p>
    </div>
  );
}
