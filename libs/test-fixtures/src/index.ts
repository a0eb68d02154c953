export * from './procurement-seed';
