import { degradedReasons } from './health.module';

describe('degradedReasons (what makes /health a 503)', () => {
  it('is empty when every check is up', () => {
    expect(degradedReasons({ status: 'ok', error: {} })).toEqual([]);
  });

  it('names each check in error with its message', () => {
    expect(degradedReasons({ status: 'error', error: { database: { status: 'down', message: 'Connection terminated' }, kafka: { status: 'down' } } })).toEqual([
      'database: Connection terminated',
      'kafka: down',
    ]);
  });

  it('says the service is shutting down when Terminus does (no check in error then)', () => {
    expect(degradedReasons({ status: 'shutting_down', error: {} })).toEqual(['service: shutting down']);
  });

  it('says so when the checks could not be run at all', () => {
    expect(degradedReasons({ status: 'error' })).toEqual(['health: the checks could not be run']);
  });
});
