/**
 * The page's place, kept in the URL's fragment (`#/data-centers/dc-1`): the server serves one page at `/`, and every
 * other path stays the API's.
 */
export type Route =
  | { readonly page: 'fleet' }
  | { readonly page: 'findings' }
  | { readonly page: 'data-center'; readonly dataCenterId: string }
  /** One event of the ledger, with its stream's history: where a finding's evidence links to. */
  | { readonly page: 'event'; readonly eventId: string }
  | { readonly page: 'sign-in' }
  | { readonly page: 'not-found'; readonly path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0] || '/';
  if (path === '/' || path === '/fleet') return { page: 'fleet' };
  if (path === '/findings') return { page: 'findings' };
  if (path === '/sign-in') return { page: 'sign-in' };
  const match = /^\/(data-centers|events)\/([^/]+)$/.exec(path);
  if (match) {
    try {
      const id = decodeURIComponent(match[2]);
      return match[1] === 'events' ? { page: 'event', eventId: id } : { page: 'data-center', dataCenterId: id };
    } catch {
      return { page: 'not-found', path };
    }
  }
  return { page: 'not-found', path };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'fleet':
      return '#/';
    case 'findings':
      return '#/findings';
    case 'sign-in':
      return '#/sign-in';
    case 'data-center':
      return `#/data-centers/${encodeURIComponent(route.dataCenterId)}`;
    case 'event':
      return `#/events/${encodeURIComponent(route.eventId)}`;
    case 'not-found':
      return `#${route.path}`;
  }
}
