import {
  ECCN_3A090_2022,
  ECCN_3A090_2023,
  H20_LETTER_2025,
  SEED_MODEL_IDS,
  type BandwidthLetterThresholds,
  type CountryCode,
  type Eccn3A090Class,
  type Eccn3A090Thresholds,
  type Eccn3A090_2022Thresholds,
  type Instant,
  type RentalPurpose,
} from '@chip-ledger/domain';
import { US_3A090_DESTINATIONS, US_3A090_HEADQUARTERS } from './country-groups';

export type Certainty = 'regulation' | 'licence-condition' | 'guidance' | 'reported-guidance';
export type Severity = 'breach' | 'review' | 'risk';

/** When a rule judges facts: `from` inclusive, `to` exclusive; null = open-ended. Instants are UTC. */
export interface InForcePeriod {
  readonly from: Instant | null;
  readonly to: Instant | null;
}

export interface RuleSource {
  /** e.g. '88 FR 73458'. */
  readonly citation: string;
  readonly url: string;
}

/** A dated moment the timeline should show besides the in-force period (publication, compliance date...). */
export interface RuleMilestone {
  readonly at: Instant;
  readonly label: string;
}

interface RuleBase<Id extends string, P> {
  readonly id: Id;
  readonly title: string;
  /** Country whose law or policy the rule states ('US', 'CN', 'MY'). */
  readonly jurisdiction: CountryCode;
  readonly certainty: Certainty;
  readonly source: RuleSource;
  readonly inForce: InForcePeriod;
  readonly milestones: readonly RuleMilestone[];
  readonly summary: string;
  readonly parameters: P;
}

/** Which classes of 3A090 bring a chip into a rule. */
type Classes = readonly Exclude<Eccn3A090Class, 'not-controlled' | 'cannot-classify'>[];

/** "Domestic" for the Beijing mandate: vendor HQ in one of these, and (if `fabIn` is set) fabricated in one of these. */
export interface DomesticDefinition {
  readonly vendorHeadquartersIn: readonly CountryCode[];
  /** null: fab location does not matter. A chip whose fab is unknown is not domestic when this is set. */
  readonly fabIn: readonly CountryCode[] | null;
}

export type CnStateFundedDomesticRule = RuleBase<
  'CN-STATE-FUNDED-DOMESTIC',
  {
    readonly appliesInCountries: readonly CountryCode[];
    /** Completion is read on the later of this date and the data center's registration. */
    readonly completionReferenceDate: Instant;
    /** Below this completion (percent): foreign chips must go. At or above: case-by-case review. */
    readonly completionThresholdPercent: number;
    readonly domestic: DomesticDefinition;
  }
>;
export type Us3A090LicenceRule = RuleBase<
  'US-3A090-LICENCE',
  {
    readonly thresholds: Eccn3A090Thresholds;
    readonly classes: Classes;
    readonly destinationCountries: readonly CountryCode[];
    readonly ownerHeadquarterCountries: readonly CountryCode[];
  }
>;
export type Us3A090_2022Rule = RuleBase<
  'US-3A090-2022',
  { readonly test: Eccn3A090_2022Thresholds; readonly destinationCountries: readonly CountryCode[] }
>;
export type UsH20IsInformedRule = RuleBase<
  'US-H20-IS-INFORMED',
  {
    readonly namedModelIds: readonly string[];
    readonly bandwidth: BandwidthLetterThresholds;
    readonly thresholds: Eccn3A090Thresholds;
    readonly destinationCountries: readonly CountryCode[];
    readonly ownerHeadquarterCountries: readonly CountryCode[];
    /** The announced share; the condition judged is the one recorded on each licence. */
    readonly revenueSharePercent: number;
    readonly revenueShareLicencesFrom: Instant;
    readonly remittanceWindowDays: number;
  }
>;
export type UsH200CaseByCaseRule = RuleBase<
  'US-H200-CASE-BY-CASE',
  {
    readonly thresholds: Eccn3A090Thresholds;
    readonly classes: Classes;
    readonly tppBelow: number;
    readonly dramGBsBelow: number;
    readonly destinationCountries: readonly CountryCode[];
    /** Shipments from here are "exports from the US" (licensable); anything else is a re-export or transfer. */
    readonly licensableFromCountry: CountryCode;
    readonly dutyPercent: number;
  }
>;
export type UsLicenceBalanceRule = RuleBase<'US-LICENCE-BALANCE', Record<string, never>>;
export type UsEntityListRule = RuleBase<
  'US-ENTITY-LIST',
  { readonly list: 'US-ENTITY-LIST'; readonly thresholds: Eccn3A090Thresholds; readonly classes: Classes }
>;
export type UsPrc3A090UseRule = RuleBase<'US-PRC-3A090-USE', { readonly modelIds: readonly string[] }>;
export type UsIaasTrainingRule = RuleBase<
  'US-IAAS-TRAINING',
  {
    readonly thresholds: Eccn3A090Thresholds;
    readonly classes: Classes;
    readonly purposes: readonly RentalPurpose[];
    readonly tenantHeadquarterCountries: readonly CountryCode[];
  }
>;
export type UsAiDiffusionRule = RuleBase<
  'US-AI-DIFFUSION',
  { readonly publishedAt: Instant; readonly complianceDate: Instant; readonly notEnforcedFrom: Instant }
>;
export type MyStrategicTradePermitRule = RuleBase<
  'MY-STRATEGIC-TRADE-PERMIT',
  { readonly exportingCountries: readonly CountryCode[]; readonly thresholds: Eccn3A090Thresholds; readonly classes: Classes }
>;

export type Rule =
  | CnStateFundedDomesticRule
  | Us3A090LicenceRule
  | Us3A090_2022Rule
  | UsH20IsInformedRule
  | UsH200CaseByCaseRule
  | UsLicenceBalanceRule
  | UsEntityListRule
  | UsPrc3A090UseRule
  | UsIaasTrainingRule
  | UsAiDiffusionRule
  | MyStrategicTradePermitRule;
export type RuleId = Rule['id'];
export type RuleOf<Id extends RuleId> = Extract<Rule, { id: Id }>;

/** A rulebook is data: adding, correcting or ending a rule is a new list. */
export type Rulebook = readonly Rule[];

export const RULE_IDS: readonly RuleId[] = [
  'CN-STATE-FUNDED-DOMESTIC',
  'US-3A090-LICENCE',
  'US-3A090-2022',
  'US-H20-IS-INFORMED',
  'US-H200-CASE-BY-CASE',
  'US-LICENCE-BALANCE',
  'US-ENTITY-LIST',
  'US-PRC-3A090-USE',
  'US-IAAS-TRAINING',
  'US-AI-DIFFUSION',
  'MY-STRATEGIC-TRADE-PERMIT',
];

const day = (date: string): Instant => `${date}T00:00:00.000Z`;
const CLASSES_A_B: Classes = ['3A090.a', '3A090.b'];

export const RULEBOOK_V1: Rulebook = [
  {
    id: 'CN-STATE-FUNDED-DOMESTIC',
    title: 'State-funded data centers in China must use domestic chips',
    jurisdiction: 'CN',
    certainty: 'reported-guidance',
    source: {
      citation: 'Reuters, 2025-11-05 (unpublished guidance reported by sources)',
      url: 'https://www.reuters.com/world/china/china-bans-foreign-ai-chips-state-funded-data-centres-sources-say-2025-11-05/',
    },
    inForce: { from: day('2025-11-05'), to: null },
    milestones: [],
    summary:
      'A state-funded data center in China under 30% complete must remove foreign chips and cancel foreign orders; at or ' +
      'above 30% its foreign chips go to case-by-case review. New foreign orders are not allowed.',
    parameters: {
      appliesInCountries: ['CN'],
      completionReferenceDate: day('2025-11-05'),
      completionThresholdPercent: 30,
      domestic: { vendorHeadquartersIn: ['CN'], fabIn: null },
    },
  },
  {
    id: 'US-3A090-LICENCE',
    title: 'Licence required for 3A090 chips to D:5, Macau and D:5-headquartered owners',
    jurisdiction: 'US',
    certainty: 'regulation',
    source: {
      citation: '88 FR 73458 (2023-10-25)',
      url: 'https://www.federalregister.gov/documents/2023/10/25/2023-23055/implementation-of-additional-export-controls-certain-advanced-computing-items-supercomputer-and-semiconductor-end-use',
    },
    inForce: { from: day('2023-11-17'), to: null },
    milestones: [{ at: day('2023-10-25'), label: 'published' }],
    summary:
      'Exports, re-exports and transfers of 3A090.a/.b chips to China, Macau, other D:5 countries, or to entities headquartered ' +
      '(or whose ultimate parent is) in D:5 or Macau, wherever located, need a licence.',
    parameters: {
      thresholds: ECCN_3A090_2023,
      classes: CLASSES_A_B,
      destinationCountries: US_3A090_DESTINATIONS,
      ownerHeadquarterCountries: US_3A090_HEADQUARTERS,
    },
  },
  {
    id: 'US-3A090-2022',
    title: 'Licence required for 3A090 chips to China (2022 rule)',
    jurisdiction: 'US',
    certainty: 'regulation',
    source: {
      citation: '87 FR 62186 (2022-10-13)',
      url: 'https://www.federalregister.gov/documents/2022/10/13/2022-21658/implementation-of-additional-export-controls-certain-advanced-computing-and-semiconductor-manufacturing',
    },
    inForce: { from: day('2022-10-07'), to: day('2023-11-17') },
    milestones: [],
    summary: 'Chips with TPP ≥ 4800 and chip-to-chip I/O ≥ 600 GB/s needed a licence to China (incl. Hong Kong) and Macau.',
    parameters: { test: ECCN_3A090_2022, destinationCountries: ['CN', 'MO', 'HK'] },
  },
  {
    id: 'US-H20-IS-INFORMED',
    title: 'H20/MI308 "is informed" licence requirement and revenue-share condition',
    jurisdiction: 'US',
    certainty: 'reported-guidance',
    source: {
      citation: 'Nvidia Form 8-K 2025-04-15; Reuters 2025-04-16; revenue share: Reuters 2025-08-11',
      url: 'https://www.sec.gov/Archives/edgar/data/1045810/000104581025000082/nvda-20250409.htm',
    },
    inForce: { from: day('2025-04-09'), to: null },
    milestones: [{ at: day('2025-08-01'), label: 'licences carry a 15% revenue-share condition' }],
    summary:
      'H20, MI308 and chips over the letter’s bandwidth line need a licence to the 3A090 destinations; licences from ' +
      '2025-08 require remitting 15% of revenue within 90 days of each delivery.',
    parameters: {
      namedModelIds: [SEED_MODEL_IDS.h20, SEED_MODEL_IDS.mi308],
      bandwidth: H20_LETTER_2025,
      thresholds: ECCN_3A090_2023,
      destinationCountries: US_3A090_DESTINATIONS,
      ownerHeadquarterCountries: US_3A090_HEADQUARTERS,
      revenueSharePercent: 15,
      revenueShareLicencesFrom: day('2025-08-01'),
      remittanceWindowDays: 90,
    },
  },
  {
    id: 'US-H200-CASE-BY-CASE',
    title: 'H200-class chips to China: case-by-case for US exports, denial for re-exports and transfers',
    jurisdiction: 'US',
    certainty: 'regulation',
    source: { citation: '91 FR 1684 (2026-01-15)', url: 'https://www.federalregister.gov/citation/91-FR-1684' },
    inForce: { from: day('2026-01-15'), to: null },
    milestones: [],
    summary:
      'Chips under TPP 21,000 and DRAM 6,500 GB/s exported from the US to China or Macau are licensable case by case (25% ' +
      'duty); re-exports from abroad and in-country transfers keep the presumption of denial.',
    parameters: {
      thresholds: ECCN_3A090_2023,
      classes: CLASSES_A_B,
      tppBelow: 21000,
      dramGBsBelow: 6500,
      destinationCountries: ['CN', 'MO'],
      licensableFromCountry: 'US',
      dutyPercent: 25,
    },
  },
  {
    id: 'US-LICENCE-BALANCE',
    title: 'Deliveries must fit the licence they are shipped under',
    jurisdiction: 'US',
    certainty: 'licence-condition',
    source: { citation: '15 CFR 750.7 (licence terms and conditions)', url: 'https://www.ecfr.gov/current/title-15/section-750.7' },
    inForce: { from: null, to: null },
    milestones: [],
    summary:
      'A delivery under a licence must fit its remaining authorised quantity, its validity period, its models, consignee and ' +
      'destination, and the licence must not be suspended or revoked.',
    parameters: {},
  },
  {
    id: 'US-ENTITY-LIST',
    title: 'No 3A090 chips to organisations on the Entity List',
    jurisdiction: 'US',
    certainty: 'regulation',
    source: {
      citation: '15 CFR part 744, Supplement No. 4 (Entity List)',
      url: 'https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-744/appendix-Supplement%20No.%204%20to%20Part%20744',
    },
    inForce: { from: null, to: null },
    milestones: [],
    summary: 'US-origin 3A090 chips delivered or rented to an organisation listed on the Entity List at that date.',
    parameters: { list: 'US-ENTITY-LIST', thresholds: ECCN_3A090_2023, classes: CLASSES_A_B },
  },
  {
    id: 'US-PRC-3A090-USE',
    title: 'Use of Huawei Ascend chips anywhere (General Prohibition 10)',
    jurisdiction: 'US',
    certainty: 'guidance',
    source: {
      citation: 'BIS guidance 2025-05-13',
      url: 'https://www.bis.gov/press-release/department-commerce-announces-rescission-biden-era-artificial-intelligence-diffusion-rule-strengthens',
    },
    inForce: { from: day('2025-05-13'), to: null },
    milestones: [],
    summary: 'BIS: using Huawei Ascend 910B/910C/910D anywhere in the world may violate General Prohibition 10.',
    parameters: { modelIds: [SEED_MODEL_IDS.ascend910b, SEED_MODEL_IDS.ascend910c, 'huawei-ascend-910d'] },
  },
  {
    id: 'US-IAAS-TRAINING',
    title: 'Renting 3A090.a capacity for training to D:5-headquartered tenants',
    jurisdiction: 'US',
    certainty: 'guidance',
    source: {
      citation: 'BIS guidance 2025-05-13 (red flags for IaaS training of models for D:5 parties)',
      url: 'https://www.bis.gov/media/documents/ai-chip-guidance-may-13-2025',
    },
    inForce: { from: day('2025-05-13'), to: null },
    milestones: [],
    summary: 'A red flag when 3A090.a capacity is rented for training to a tenant headquartered (or parented) in D:5 or Macau.',
    parameters: {
      thresholds: ECCN_3A090_2023,
      classes: ['3A090.a'],
      purposes: ['training'],
      tenantHeadquarterCountries: US_3A090_HEADQUARTERS,
    },
  },
  {
    id: 'US-AI-DIFFUSION',
    title: 'Framework for AI Diffusion (rescinded)',
    jurisdiction: 'US',
    certainty: 'regulation',
    source: {
      citation: '90 FR 4544 (2025-01-15); not enforced per BIS 2025-05-13',
      url: 'https://www.federalregister.gov/documents/2025/01/15/2025-00636/framework-for-artificial-intelligence-diffusion',
    },
    inForce: { from: day('2025-01-13'), to: day('2025-05-13') },
    milestones: [
      { at: day('2025-01-13'), label: 'published (effective)' },
      { at: day('2025-05-13'), label: 'rescission announced; not enforced' },
      { at: day('2025-05-15'), label: 'compliance date that never arrived' },
    ],
    summary:
      'Worldwide tiers and caps on advanced chips. Rescinded before its compliance date: kept so the timeline shows it; it ' +
      'yields no findings.',
    parameters: { publishedAt: day('2025-01-13'), complianceDate: day('2025-05-15'), notEnforcedFrom: day('2025-05-13') },
  },
  {
    id: 'MY-STRATEGIC-TRADE-PERMIT',
    title: 'Malaysian Strategic Trade permit for US-origin AI chips leaving Malaysia',
    jurisdiction: 'MY',
    certainty: 'regulation',
    source: {
      citation: 'MITI statement 2025-07-14 (Strategic Trade Act 2010)',
      url: 'https://www.miti.gov.my/index.php/pages/view/press-release-2025-07-14',
    },
    inForce: { from: day('2025-07-14'), to: null },
    milestones: [],
    summary: 'Transfers of US-origin high-performance AI chips out of a Malaysian data center to another country need a permit.',
    parameters: { exportingCountries: ['MY'], thresholds: ECCN_3A090_2023, classes: CLASSES_A_B },
  },
];

/** The rule with this id in a rulebook, if present. */
export const ruleById = <Id extends RuleId>(rulebook: Rulebook, id: Id): RuleOf<Id> | undefined =>
  rulebook.find((r): r is RuleOf<Id> => r.id === id);

/** Replaces (or adds) one rule: how a correction or an ending is published. */
export const withRule = (rulebook: Rulebook, rule: Rule): Rulebook =>
  rulebook.some((r) => r.id === rule.id) ? rulebook.map((r) => (r.id === rule.id ? rule : r)) : [...rulebook, rule];

/** Problems that make a rulebook unusable (duplicate ids, inverted periods). Empty when fine. */
export const rulebookProblems = (rulebook: Rulebook): string[] => {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of rulebook) {
    if (seen.has(r.id)) problems.push(`duplicate rule id ${r.id}`);
    seen.add(r.id);
    const { from, to } = r.inForce;
    if (from !== null && to !== null && Date.parse(to) <= Date.parse(from)) problems.push(`${r.id}: in-force period ends before it starts`);
  }
  return problems;
};

/** In-force periods as epoch ms, parsed once per period object (rules are judged once per fact). */
const periodMs = new WeakMap<InForcePeriod, { from: number; to: number }>();

/** True when the rule judges facts that occurred at `instantMs` (epoch ms). */
export const inForceAt = (rule: Pick<Rule, 'inForce'>, instantMs: number): boolean => {
  let ms = periodMs.get(rule.inForce);
  if (ms === undefined) {
    ms = {
      from: rule.inForce.from === null ? Number.NEGATIVE_INFINITY : Date.parse(rule.inForce.from),
      to: rule.inForce.to === null ? Number.POSITIVE_INFINITY : Date.parse(rule.inForce.to),
    };
    periodMs.set(rule.inForce, ms);
  }
  return instantMs >= ms.from && instantMs < ms.to;
};

