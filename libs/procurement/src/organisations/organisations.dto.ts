import { CountryField, IdField, OccurredAtField, TextField } from '@chip-ledger/http';

export class RegisterOrganisationRequest {
  @IdField('Id of the organisation (chosen by the client).', { example: 'gansu-cloud' }) organisationId!: string;
  @TextField('Legal name', { maxLength: 200, example: 'Gansu Cloud Computing Co., Ltd.' }) name!: string;
  @CountryField('Headquarters country', { example: 'CN' }) headquartersCountry!: string;
  @CountryField("Ultimate parent's headquarters country (the same as headquartersCountry for a parent itself)", { example: 'CN' })
  ultimateParentHeadquartersCountry!: string;
  @OccurredAtField('2019-03-14') occurredAt?: string;
}

/** A listing on (or removal from) the US Entity List, dated by occurredAt (the Federal Register date). */
export class RestrictedPartyListingRequest {
  @TextField('Federal Register citation or other reference', { nullable: true, maxLength: 500, example: '89 FR 96790' }) reference?: string | null;
  @OccurredAtField('2024-12-05') occurredAt?: string;
}
