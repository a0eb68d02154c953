export * from './command-context';
export * from './command-response';
export * from './command-response.interceptor';
