import { useEffect, useRef, useState } from 'preact/hooks';
import { LiveStatus } from './components/live-status';
import { Empty } from './components/states';
import { DataCenterPage } from './pages/data-center-page';
import { EventPage } from './pages/event-page';
import { FindingsPage } from './pages/findings-page';
import { FleetPage } from './pages/fleet-page';
import { SignInPage } from './pages/sign-in-page';
import { AppProvider, useApp } from './state/app-state';
import { hrefOf, parseRoute, type Route } from './state/route';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

const TITLES: Record<Route['page'], string> = { fleet: 'Fleet', findings: 'Findings', 'data-center': 'Data center', event: 'Event', 'sign-in': 'Sign in', 'not-found': 'Not found' };

/** What makes one page another: its kind and its subject. */
const subjectOf = (route: Route): string | null => (route.page === 'data-center' ? route.dataCenterId : route.page === 'event' ? route.eventId : null);

function Shell() {
  const { session, signOut } = useApp();
  const requested = useRoute();
  // Without a session every page is the sign-in page; the address keeps what was asked for, shown once signed in.
  const route: Route = session ? requested : { page: 'sign-in' };
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    document.title = `${route.page === 'data-center' ? route.dataCenterId : TITLES[route.page]} · Chip Ledger`;
    // After navigating, start keyboard and screen-reader users at the new page's heading.
    if (first.current) first.current = false;
    else main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route.page, subjectOf(route)]);

  const current = (page: Route['page']) => (route.page === page ? 'page' : undefined);
  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header class="top-bar">
        <a class="brand" href={hrefOf({ page: 'fleet' })}>
          <span class="brand-mark" aria-hidden="true" />
          Chip Ledger
        </a>
        {session && (
          <nav aria-label="Main">
            <ul class="nav-list">
              <li>
                <a href={hrefOf({ page: 'fleet' })} aria-current={current('fleet')}>
                  Fleet
                </a>
              </li>
              <li>
                <a href={hrefOf({ page: 'findings' })} aria-current={current('findings')}>
                  Findings
                </a>
              </li>
            </ul>
          </nav>
        )}
        <div class="top-bar-end">
          {session && <LiveStatus />}
          {session && (
            <p class="who">
              <span class="who-role">{session.role}</span> <span class="who-org">{session.organisationId}</span>
            </p>
          )}
          {session && (
            <button type="button" class="button button-quiet" onClick={() => signOut()}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'fleet':
      return <FleetPage />;
    case 'findings':
      return <FindingsPage />;
    case 'data-center':
      return <DataCenterPage key={route.dataCenterId} dataCenterId={route.dataCenterId} />;
    case 'event':
      return <EventPage key={route.eventId} eventId={route.eventId} />;
    case 'sign-in':
      return <SignInPage />;
    case 'not-found':
      return (
        <>
          <div class="page-heading">
            <h1 tabIndex={-1}>Not found</h1>
          </div>
          <Empty title={`Nothing lives at ${route.path}`}>
            <a href={hrefOf({ page: 'fleet' })}>Go to the fleet</a>
          </Empty>
        </>
      );
  }
}

export function App() {
  return (
    <AppProvider>
      <Shell />
    </AppProvider>
  );
}
