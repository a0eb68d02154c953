import { uniqueTopicName } from './kafka';
import { withDatabase } from './postgres';

describe('test resource naming', () => {
  it('gives every call its own topic name, tagged with the run id', () => {
    process.env['CHIPLEDGER_TEST_RUN_ID'] = 'run42';
    const a = uniqueTopicName('relay');
    const b = uniqueTopicName('relay');
    expect(a).toMatch(/^test\.relay\.run42\.[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it('points a server URL at another database, keeping credentials and query', () => {
    expect(withDatabase('postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable', 't_x')).toBe(
      'postgres://u:p@127.0.0.1:5432/t_x?sslmode=disable',
    );
  });
});
