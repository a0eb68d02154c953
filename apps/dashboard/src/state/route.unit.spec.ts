import { hrefOf, parseRoute, type Route } from './route';

describe('routes in the URL fragment', () => {
  it.each<[string, Route]>([
    ['', { page: 'fleet' }],
    ['#/', { page: 'fleet' }],
    ['#/fleet', { page: 'fleet' }],
    ['#/findings', { page: 'findings' }],
    ['#/sign-in', { page: 'sign-in' }],
    ['#/data-centers/dc-gansu-qingyang', { page: 'data-center', dataCenterId: 'dc-gansu-qingyang' }],
    ['#/data-centers/a%3Ab', { page: 'data-center', dataCenterId: 'a:b' }],
    ['#/findings?severity=breach', { page: 'findings' }],
    ['#/events/21635311-2e01-4602-a985-da9ba397ff5a', { page: 'event', eventId: '21635311-2e01-4602-a985-da9ba397ff5a' }],
    ['#/events/', { page: 'not-found', path: '/events/' }],
    ['#/nowhere', { page: 'not-found', path: '/nowhere' }],
    ['#/data-centers/%E0%A4%A', { page: 'not-found', path: '/data-centers/%E0%A4%A' }],
  ])('%s is %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('round-trips every route through its href', () => {
    for (const route of [{ page: 'fleet' }, { page: 'findings' }, { page: 'sign-in' }, { page: 'data-center', dataCenterId: 'dc/with space' }, { page: 'event', eventId: 'e-1' }] as Route[]) {
      expect(parseRoute(hrefOf(route))).toEqual(route);
    }
  });
});
