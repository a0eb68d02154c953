export * from './infrastructure/postgres';
export * from './infrastructure/kafka';
export * from './infrastructure/test-infrastructure';
