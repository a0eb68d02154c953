export * from './names';
export * from './data-source';
export * from './transaction';
export * from './migrations';
export * from './table-sql';
export * from './column-values';
