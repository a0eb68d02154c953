export * from './infrastructure/postgres';
export * from './infrastructure/kafka';
export * from './infrastructure/test-infrastructure';
export * from './app/test-app';
export * from './app/service-process';
export * from './app/metrics-text';
export * from './browser/chromium';
