import type { CountryCode } from '@chip-ledger/domain';

/**
 * EAR Country Group D:5 (US arms-embargoed countries, Supplement No. 1 to 15 CFR part 740), as best known at
 * rulebook v1 (Nicaragua added 2024). Data, not code: correct it by publishing a new rulebook. Hong Kong is
 * treated as China under the EAR since 2020 and is listed by the rules that name it; Macau is not in D:5 and
 * is named by the 3A090 rules separately. Cyprus and Lebanon, whose D:5 status has moved over time, are
 * left out pending verification against the current eCFR text.
 */
export const COUNTRY_GROUP_D5: readonly CountryCode[] = [
  'AF', // Afghanistan
  'BY', // Belarus
  'MM', // Burma
  'KH', // Cambodia
  'CF', // Central African Republic
  'CN', // China
  'CD', // Congo, Democratic Republic of the
  'CU', // Cuba
  'ER', // Eritrea
  'HT', // Haiti
  'IR', // Iran
  'IQ', // Iraq
  'KP', // North Korea
  'LY', // Libya
  'NI', // Nicaragua
  'RU', // Russia
  'SO', // Somalia
  'SS', // South Sudan
  'SD', // Sudan
  'SY', // Syria
  'VE', // Venezuela
  'ZW', // Zimbabwe
];

/** Destinations of the 2023 3A090 licence requirement: D:5, Macau, and Hong Kong (treated as China). */
export const US_3A090_DESTINATIONS: readonly CountryCode[] = [...COUNTRY_GROUP_D5, 'MO', 'HK'];

/** Headquarters countries that make an owner (or its ultimate parent) a "D:5 or Macau" party. */
export const US_3A090_HEADQUARTERS: readonly CountryCode[] = [...COUNTRY_GROUP_D5, 'MO'];
