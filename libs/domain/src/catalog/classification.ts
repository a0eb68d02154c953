import type { ChipModelSpec } from './chip-model';

/*
 * ECCN 3A090 arithmetic. Unknown figures propagate as `null` through three-valued (Kleene) logic, so a result
 * is 'cannot-classify' only when a figure the decision actually depends on is unknown: TPP ≥ 4800 is 3A090.a
 * whatever the die area, and TPP < 1600 is not controlled whatever the die area.
 */

/** Bit length of the operations the catalog's TFLOPS figure counts (dense FP16/BF16). */
export const CATALOG_BIT_LENGTH = 16;

/** 3A090 as amended by 88 FR 73458 (2023-10-25, in force 2023-11-17). Lower bounds inclusive, upper exclusive. */
export interface Eccn3A090Thresholds {
  readonly a: { readonly tppAtLeast: number; readonly tppWithDensityAtLeast: number; readonly densityAtLeast: number };
  readonly b: {
    /** TPP in [tppFrom, tppBelow) with density in [densityFrom, densityBelow). */
    readonly first: { readonly tppFrom: number; readonly tppBelow: number; readonly densityFrom: number; readonly densityBelow: number };
    /** TPP ≥ tppFrom with density in [densityFrom, densityBelow). */
    readonly second: { readonly tppFrom: number; readonly densityFrom: number; readonly densityBelow: number };
  };
}

export const ECCN_3A090_2023: Eccn3A090Thresholds = {
  a: { tppAtLeast: 4800, tppWithDensityAtLeast: 1600, densityAtLeast: 5.92 },
  b: {
    first: { tppFrom: 2400, tppBelow: 4800, densityFrom: 1.6, densityBelow: 5.92 },
    second: { tppFrom: 1600, densityFrom: 3.2, densityBelow: 5.92 },
  },
};

/** 3A090 as first published by 87 FR 62186 (2022-10-07): TPP ≥ 4800 and chip-to-chip I/O ≥ 600 GB/s. */
export interface Eccn3A090_2022Thresholds {
  readonly tppAtLeast: number;
  readonly chipToChipGBsAtLeast: number;
}
export const ECCN_3A090_2022: Eccn3A090_2022Thresholds = { tppAtLeast: 4800, chipToChipGBsAtLeast: 600 };

/** The April-2025 "is informed" letters (H20, MI308), as reported: a bandwidth test, not a 3A090 test. */
export interface BandwidthLetterThresholds {
  readonly dramGBsAtLeast: number;
  readonly ioGBsAtLeast: number;
  readonly combinedGBsAtLeast: number;
}
export const H20_LETTER_2025: BandwidthLetterThresholds = { dramGBsAtLeast: 1400, ioGBsAtLeast: 1100, combinedGBsAtLeast: 1700 };

export type Eccn3A090Class = '3A090.a' | '3A090.b' | 'not-controlled' | 'cannot-classify';
export type TestOutcome = boolean | 'cannot-classify';

type Tri = boolean | null;
const atLeast = (x: number | null, t: number): Tri => (x === null ? null : x >= t);
const below = (x: number | null, t: number): Tri => (x === null ? null : x < t);
const and = (...xs: Tri[]): Tri => (xs.includes(false) ? false : xs.includes(null) ? null : true);
const or = (...xs: Tri[]): Tri => (xs.includes(true) ? true : xs.includes(null) ? null : false);
const outcome = (x: Tri): TestOutcome => (x === null ? 'cannot-classify' : x);

/** TPP = dense 16-bit TFLOPS × 16; null when the TFLOPS figure is unknown. */
export const totalProcessingPerformance = (spec: ChipModelSpec): number | null =>
  spec.denseFp16Tflops.value === null ? null : spec.denseFp16Tflops.value * CATALOG_BIT_LENGTH;

/** Performance density = TPP ÷ die area (mm²); null when either is unknown (or the area is not positive). */
export const performanceDensity = (spec: ChipModelSpec): number | null => {
  const tpp = totalProcessingPerformance(spec);
  const area = spec.dieAreaMm2.value;
  return tpp === null || area === null || area <= 0 ? null : tpp / area;
};

/** ECCN 3A090 classification under the 2023 thresholds (or others passed in). */
export const classify3A090 = (spec: ChipModelSpec, thresholds: Eccn3A090Thresholds = ECCN_3A090_2023): Eccn3A090Class => {
  const tpp = totalProcessingPerformance(spec);
  const pd = performanceDensity(spec);
  const { a, b } = thresholds;
  const isA = or(atLeast(tpp, a.tppAtLeast), and(atLeast(tpp, a.tppWithDensityAtLeast), atLeast(pd, a.densityAtLeast)));
  if (isA === true) return '3A090.a';
  const isB = or(
    and(atLeast(tpp, b.first.tppFrom), below(tpp, b.first.tppBelow), atLeast(pd, b.first.densityFrom), below(pd, b.first.densityBelow)),
    and(atLeast(tpp, b.second.tppFrom), atLeast(pd, b.second.densityFrom), below(pd, b.second.densityBelow)),
  );
  if (isA === false && isB === true) return '3A090.b';
  if (isA === false && isB === false) return 'not-controlled';
  return 'cannot-classify';
};

/** The 2022 test (87 FR 62186): TPP ≥ 4800 and chip-to-chip ≥ 600 GB/s. */
export const meets3A090Test2022 = (spec: ChipModelSpec, thresholds: Eccn3A090_2022Thresholds = ECCN_3A090_2022): TestOutcome =>
  outcome(and(atLeast(totalProcessingPerformance(spec), thresholds.tppAtLeast), atLeast(spec.chipToChipGBs.value, thresholds.chipToChipGBsAtLeast)));

/** The April-2025 letter's bandwidth test: DRAM ≥ 1400, or I/O ≥ 1100, or DRAM + I/O ≥ 1700 (GB/s). */
export const meetsBandwidthLetterTest = (spec: ChipModelSpec, thresholds: BandwidthLetterThresholds = H20_LETTER_2025): TestOutcome => {
  const dram = spec.dramBandwidthGBs.value;
  const io = spec.chipToChipGBs.value;
  const combined = dram === null || io === null ? null : dram + io;
  return outcome(
    or(atLeast(dram, thresholds.dramGBsAtLeast), atLeast(io, thresholds.ioGBsAtLeast), atLeast(combined, thresholds.combinedGBsAtLeast)),
  );
};

/** Names of the figures a spec leaves unknown, for "cannot classify" explanations. */
export const unknownFigures = (spec: ChipModelSpec): string[] =>
  (['denseFp16Tflops', 'dieAreaMm2', 'dramBandwidthGBs', 'chipToChipGBs'] as const).filter((k) => spec[k].value === null);
