import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from '../api/client';
import { followLiveChanges, type LiveConnection } from '../api/live';
import { isSession, sessionFromToken, tokenStore, TOKEN_PROBLEMS, type Session } from './session';
import { dayOf, LIVE, type ViewTime } from './view-time';

export interface AppState {
  readonly session: Session | null;
  /** Why the user is asked to sign in (expired, refused), shown on the sign-in page. */
  readonly signInNotice: string | null;
  readonly api: ApiClient;
  readonly live: LiveConnection | 'off';
  /** Bumped after the read models changed (throttled): pages reload what they show when it moves. */
  readonly revision: number;
  readonly lastChangeAt: Date | null;
  readonly viewTime: ViewTime;
  /** Moves every page to a past day (the as-of API; live updates stop) or back to live (they resume). */
  setViewTime(time: ViewTime): void;
  /** The first day the time slider offers: the earliest registration among the data centers the user may see. */
  readonly ledgerStart: string;
  /** Returns what is wrong with the token, or null once signed in. */
  signIn(token: string): string | null;
  signOut(notice?: string): void;
}

const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside <AppProvider>');
  return state;
}

/** Live changes often come in bursts (a delivery changes a chip mix and several findings): one reload per burst. */
const RELOAD_THROTTLE_MS = 300;
const EXPIRED = 'Your token has expired or was refused. Sign in again.';
/** Before the first export-control rule of the rulebook (2022-10-07): the slider's start until the fleet is read. */
const FALLBACK_LEDGER_START = '2022-01-01';

function initialSession(): Session | null {
  const stored = tokenStore.load();
  if (!stored) return null;
  const session = sessionFromToken(stored, Date.now());
  if (isSession(session)) return session;
  tokenStore.clear();
  return null;
}

export function AppProvider({ children }: { children: ComponentChildren }) {
  const [session, setSession] = useState<Session | null>(initialSession);
  const [signInNotice, setSignInNotice] = useState<string | null>(null);
  const [live, setLive] = useState<LiveConnection | 'off'>('off');
  const [revision, setRevision] = useState(0);
  const [lastChangeAt, setLastChangeAt] = useState<Date | null>(null);
  const [viewTime, setViewTime] = useState<ViewTime>(LIVE);
  const [ledgerStart, setLedgerStart] = useState(FALLBACK_LEDGER_START);
  const pendingReload = useRef<ReturnType<typeof setTimeout> | null>(null);

  const signOut = useCallback((notice?: string) => {
    tokenStore.clear();
    setSession(null);
    setViewTime(LIVE);
    setSignInNotice(notice ?? null);
  }, []);

  const signIn = useCallback((token: string): string | null => {
    const next = sessionFromToken(token, Date.now());
    if (!isSession(next)) return TOKEN_PROBLEMS[next];
    tokenStore.save(next.token);
    setSignInNotice(null);
    setSession(next);
    return null;
  }, []);

  const api = useMemo(() => new ApiClient({ token: session?.token ?? null, onUnauthorised: () => signOut(EXPIRED) }), [session, signOut]);

  const scheduleReload = useCallback(() => {
    if (pendingReload.current !== null) return;
    pendingReload.current = setTimeout(() => {
      pendingReload.current = null;
      setRevision((n) => n + 1);
    }, RELOAD_THROTTLE_MS);
  }, []);

  // An as-of view is a moment in the past: nothing recorded now changes what it shows (until asked again), so the
  // change stream is closed while it is on screen and opened again, with a reload, when the view goes back to live.
  const following = session !== null && viewTime.kind === 'live';
  useEffect(() => {
    if (!session || !following) {
      setLive('off');
      return;
    }
    const close = followLiveChanges({
      token: session.token,
      onConnection: (state) => {
        setLive(state);
        if (state === 'unauthorised') signOut(EXPIRED);
      },
      onChange: () => {
        setLastChangeAt(new Date());
        scheduleReload();
      },
      onResync: scheduleReload,
    });
    return close;
  }, [session, following, signOut, scheduleReload]);

  useEffect(() => {
    if (!session) return;
    const controller = new AbortController();
    api.listDataCenters(controller.signal).then(
      (dataCenters) => {
        const first = dataCenters.map((d) => d.registeredAt).filter((at): at is string => at !== null).sort()[0];
        setLedgerStart(first ? dayOf(first) : FALLBACK_LEDGER_START);
      },
      // The pages show the API's failure; the slider keeps its fallback start.
      () => undefined,
    );
    return () => controller.abort();
  }, [api, session]);

  // Sign out when the token expires, rather than on the first refused request after it.
  useEffect(() => {
    if (!session?.expiresAt) return;
    const timer = setTimeout(() => signOut(EXPIRED), Math.max(0, Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [session, signOut]);

  useEffect(() => () => void (pendingReload.current && clearTimeout(pendingReload.current)), []);

  const value: AppState = { session, signInNotice, api, live, revision, lastChangeAt, viewTime, setViewTime, ledgerStart, signIn, signOut };
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}
