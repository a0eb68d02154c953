import { DEVELOPMENT_JWT_SECRET, InvalidConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives the embedded defaults on an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: null,
      kafkaBrokers: null,
      jwtSecret: DEVELOPMENT_JWT_SECRET,
      jwtSecretIsDevelopmentDefault: true,
    });
  });

  it('reads the distributed settings', () => {
    const config = loadConfig({ PORT: '4001', DATABASE_URL: 'postgres://u@db/x', KAFKA_BROKERS: 'a:9092, b:9092', JWT_SECRET: 'x'.repeat(32) });
    expect(config).toMatchObject({ port: 4001, databaseUrl: 'postgres://u@db/x', kafkaBrokers: ['a:9092', 'b:9092'], jwtSecretIsDevelopmentDefault: false });
  });

  it('lists every invalid setting at once', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost', JWT_SECRET: 'short', NODE_ENV: 'production' });
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
      expect((error as InvalidConfigError).problems).toHaveLength(4);
    }
  });

  it('refuses to run in production on the development secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
  });
});
