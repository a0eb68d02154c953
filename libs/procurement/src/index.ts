export * from './procurement.module';
export * from './shared/access';
