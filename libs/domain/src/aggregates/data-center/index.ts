export type { DataCenterCommand, RegisterDataCenter, ReportConstructionProgress, ReportStateFunding } from './data-center.commands';
export type { ConstructionReport, DataCenterState, RegisteredDataCenter, StateFundingReport } from './data-center.state';
export { completionAt, dataCenterFacts, evolveDataCenter, initialDataCenterState, stateFundingKnownSince } from './data-center.state';
export { dataCenterDecider, decideDataCenter } from './data-center.decider';
