import type { ChipModelSpec, Figure } from './chip-model';
import {
  classify3A090,
  meets3A090Test2022,
  meetsBandwidthLetterTest,
  performanceDensity,
  totalProcessingPerformance,
  type Eccn3A090Class,
  type TestOutcome,
} from './classification';
import { SEED_CHIP_MODELS, SEED_MODEL_IDS as M } from './seed-catalog';

const seed = (id: string): ChipModelSpec => {
  const spec = SEED_CHIP_MODELS.find((m) => m.modelId === id);
  if (!spec) throw new Error(`no seed model ${id}`);
  return spec;
};
const fig = (value: number | null): Figure => ({ value });
const chip = (tflops: number | null, die: number | null, dram: number | null = null, io: number | null = null): ChipModelSpec => ({
  modelId: 'test-chip',
  name: 'Test chip',
  vendor: 'Test',
  vendorHeadquarters: 'US',
  fabCountry: null,
  usOrigin: true,
  denseFp16Tflops: fig(tflops),
  dieAreaMm2: fig(die),
  dramBandwidthGBs: fig(dram),
  chipToChipGBs: fig(io),
  source: 'test',
});

describe('the seed catalog', () => {
  it('has the 19 models of DOMAIN.md §4, each with a source and a unique id', () => {
    expect(SEED_CHIP_MODELS).toHaveLength(19);
    expect(new Set(SEED_CHIP_MODELS.map((m) => m.modelId)).size).toBe(19);
    for (const m of SEED_CHIP_MODELS) expect(m.source.length).toBeGreaterThan(0);
  });

  // Each row of the table's "class" column, plus the 2022 test and the 2025 letter's bandwidth test.
  const rows: [string, Eccn3A090Class, TestOutcome, TestOutcome][] = [
    [M.a100, '3A090.a', true, true],
    [M.a800, '3A090.a', false, true],
    [M.h100Sxm, '3A090.a', true, true],
    [M.h800, '3A090.a', false, true],
    [M.h20, 'not-controlled', false, true],
    [M.h200, '3A090.a', true, true],
    [M.b200, '3A090.a', true, true],
    [M.l40s, '3A090.a', false, false],
    [M.l20, 'not-controlled', false, false],
    [M.rtxPro6000d, 'cannot-classify', false, false],
    [M.mi300x, '3A090.a', 'cannot-classify', true],
    [M.mi325x, '3A090.a', 'cannot-classify', true],
    [M.mi308, 'cannot-classify', 'cannot-classify', 'cannot-classify'],
    [M.ascend910b, '3A090.a', false, true],
    [M.ascend910c, '3A090.a', 'cannot-classify', true],
    [M.mlu370x8, 'not-controlled', false, 'cannot-classify'],
    [M.mttS4000, 'cannot-classify', false, 'cannot-classify'],
    [M.br104, '3A090.a', 'cannot-classify', 'cannot-classify'],
    [M.ppu, 'cannot-classify', 'cannot-classify', 'cannot-classify'],
  ];
  it.each(rows)('%s is %s; 2022 test %s; 2025 letter %s', (id, cls, test2022, letter) => {
    expect(classify3A090(seed(id))).toBe(cls);
    expect(meets3A090Test2022(seed(id))).toBe(test2022);
    expect(meetsBandwidthLetterTest(seed(id))).toBe(letter);
  });

  it('computes TPP and density from the raw figures (A100: 4,992 and 6.04; H20: 2,368 and 2.91)', () => {
    expect(totalProcessingPerformance(seed(M.a100))).toBe(4992);
    expect(performanceDensity(seed(M.a100))).toBeCloseTo(6.04, 2);
    expect(totalProcessingPerformance(seed(M.h20))).toBe(2368);
    expect(performanceDensity(seed(M.h20))).toBeCloseTo(2.91, 2);
  });

  it('returns null TPP and density when a figure is unknown', () => {
    expect(totalProcessingPerformance(seed(M.mi308))).toBeNull();
    expect(performanceDensity(seed(M.mi300x))).toBeNull();
  });
});

describe('3A090 boundaries', () => {
  it('TPP 4800 is 3A090.a even with unknown die area; 4799.9 with unknown die area cannot be classified', () => {
    expect(classify3A090(chip(300, null))).toBe('3A090.a');
    expect(classify3A090(chip(4799.9 / 16, null))).toBe('cannot-classify');
  });
  it('TPP 4799.9 with low density is 3A090.b (first branch)', () => {
    expect(classify3A090(chip(4799.9 / 16, 2000))).toBe('3A090.b');
  });
  it('TPP below 1600 is not controlled whatever the die area', () => {
    expect(classify3A090(chip(99.99, null))).toBe('not-controlled');
  });
  it('TPP ≥ 1600 with density exactly 5.92 is 3A090.a; just under is 3A090.b', () => {
    expect(classify3A090(chip(370, 1000))).toBe('3A090.a'); // 5920 / 1000
    expect(classify3A090(chip(100, 1600 / 5.919))).toBe('3A090.b');
  });
  it('density 3.2 is the second 3A090.b line; 3.19 with TPP < 2400 is not controlled', () => {
    expect(classify3A090(chip(100, 500))).toBe('3A090.b'); // 1600 / 500 = 3.2
    expect(classify3A090(chip(100, 1600 / 3.19))).toBe('not-controlled');
  });
  it('TPP 2400 with density 1.6 is 3A090.b; density 1.59 is not controlled', () => {
    expect(classify3A090(chip(150, 1500))).toBe('3A090.b'); // 2400 / 1500 = 1.6
    expect(classify3A090(chip(150, 2400 / 1.59))).toBe('not-controlled');
  });
});

describe('the 2022 test', () => {
  it('needs TPP ≥ 4800 and chip-to-chip ≥ 600 GB/s', () => {
    expect(meets3A090Test2022(chip(300, 800, null, 600))).toBe(true);
    expect(meets3A090Test2022(chip(300, 800, null, 599.9))).toBe(false);
    expect(meets3A090Test2022(chip(4799.9 / 16, 800, null, 900))).toBe(false);
    expect(meets3A090Test2022(chip(300, 800, null, null))).toBe('cannot-classify');
    expect(meets3A090Test2022(chip(100, 800, null, null))).toBe(false);
  });
});

describe("the April-2025 letter's bandwidth test", () => {
  it('DRAM 1400 is caught, 1399 is not', () => {
    expect(meetsBandwidthLetterTest(chip(null, null, 1400, 0))).toBe(true);
    expect(meetsBandwidthLetterTest(chip(null, null, 1399, 0))).toBe(false);
  });
  it('I/O 1100 is caught, 1099 is not', () => {
    expect(meetsBandwidthLetterTest(chip(null, null, 0, 1100))).toBe(true);
    expect(meetsBandwidthLetterTest(chip(null, null, 0, 1099))).toBe(false);
  });
  it('DRAM + I/O 1700 is caught, 1699 is not', () => {
    expect(meetsBandwidthLetterTest(chip(null, null, 1000, 700))).toBe(true);
    expect(meetsBandwidthLetterTest(chip(null, null, 1000, 699))).toBe(false);
  });
  it('cannot classify only when an unknown figure could decide it', () => {
    expect(meetsBandwidthLetterTest(chip(null, null, 1800, null))).toBe(true);
    expect(meetsBandwidthLetterTest(chip(null, null, 300, null))).toBe('cannot-classify');
  });
});
