export * from './demo-scenario';
export * from './load-demo-data';
export * from './start-up';
