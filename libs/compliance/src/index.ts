export * from './rulebook/country-groups';
export * from './rulebook/rules';
export * from './state/compliance-state';
export * from './state/compliance-view';
export * from './evaluation/finding';
export * from './evaluation/evaluate';
export * from './timeline/finding-timeline';
