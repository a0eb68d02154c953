import { CountryField, IdField, OccurredAtField, TextField } from '@chip-ledger/http';

export class RegisterOrganisationRequest {
  @IdField('Id of the organisation (chosen by the client).') organisationId!: string;
  @TextField('Legal name', { maxLength: 200 }) name!: string;
  @CountryField('Headquarters country') headquartersCountry!: string;
  @CountryField("Ultimate parent's headquarters country (the same as headquartersCountry for a parent itself)")
  ultimateParentHeadquartersCountry!: string;
  @OccurredAtField() occurredAt?: string;
}

/** A listing on (or removal from) the US Entity List, dated by occurredAt (the Federal Register date). */
export class RestrictedPartyListingRequest {
  @TextField('Federal Register citation or other reference', { nullable: true, maxLength: 500 }) reference?: string | null;
  @OccurredAtField() occurredAt?: string;
}
