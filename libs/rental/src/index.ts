export * from './rental.module';
