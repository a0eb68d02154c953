export type {
  AmendExportLicence,
  ExportLicenceCommand,
  IssueExportLicence,
  RecordRevenueShareRemittance,
  ReinstateExportLicence,
  RevokeExportLicence,
  SuspendExportLicence,
} from './export-licence.commands';
export type {
  ExportLicenceState,
  IssuedLicence,
  LicenceAmendment,
  LicenceStatus,
  LicenceStatusChange,
  LicenceTerms,
  Remittance,
} from './export-licence.state';
export { evolveExportLicence, initialExportLicenceState } from './export-licence.state';
export { decideExportLicence, exportLicenceDecider } from './export-licence.decider';
