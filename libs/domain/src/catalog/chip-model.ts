import type { CountryCode } from '../shared/values';

/**
 * A figure from a datasheet or the press. `null` means unknown: rules that need it say "cannot classify"
 * instead of guessing. `estimate` marks figures given as "~" in the sources.
 */
export interface Figure {
  readonly value: number | null;
  readonly estimate?: boolean;
}

/** One row of the chip catalog, as admins record it. Derived figures (TPP, density) are never stored. */
export interface ChipModelSpec {
  /** Stable id, e.g. 'nvidia-h20'. */
  readonly modelId: string;
  readonly name: string;
  readonly vendor: string;
  readonly vendorHeadquarters: CountryCode;
  /** Where the die is fabricated, when known (e.g. 'TW'). */
  readonly fabCountry: CountryCode | null;
  /** Whether the item is "US-origin" for export-control purposes (US vendor or US-origin technology). */
  readonly usOrigin: boolean;
  /** Dense 16-bit TFLOPS (FP16/BF16, no sparsity). */
  readonly denseFp16Tflops: Figure;
  readonly dieAreaMm2: Figure;
  readonly dramBandwidthGBs: Figure;
  /** Chip-to-chip (interconnect) bandwidth in GB/s; 0 when the chip has none. */
  readonly chipToChipGBs: Figure;
  /** Where the figures come from (URL or citation). */
  readonly source: string;
  readonly notes?: string;
}
