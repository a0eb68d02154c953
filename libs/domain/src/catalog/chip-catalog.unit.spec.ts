import type { ChipModelSpec } from './chip-model';
import { DomainError } from '../shared/domain-error';
import { catalogFromSeed, decideCatalog, emptyCatalog, evolveCatalog, seedCatalogEvents, type ChipCatalog } from './chip-catalog';
import { SEED_CHIP_MODELS, SEED_MODEL_IDS as M } from './seed-catalog';

const newChip: ChipModelSpec = {
  modelId: 'nvidia-b30a',
  name: 'B30A',
  vendor: 'Nvidia',
  vendorHeadquarters: 'US',
  fabCountry: 'TW',
  usOrigin: true,
  denseFp16Tflops: { value: null },
  dieAreaMm2: { value: 800, estimate: true },
  dramBandwidthGBs: { value: 4000, estimate: true },
  chipToChipGBs: { value: 900 },
  source: 'press, 2025',
};

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('the chip catalog', () => {
  it('folds the seed events into the same catalog as catalogFromSeed()', () => {
    const folded = seedCatalogEvents().reduce(evolveCatalog, emptyCatalog());
    expect([...folded.entries()]).toEqual([...catalogFromSeed().entries()]);
    expect(folded.size).toBe(SEED_CHIP_MODELS.length);
  });

  describe('when a model is added', () => {
    it('emits ChipModelAdded and the model is in the catalog', () => {
      const events = decideCatalog({ type: 'AddChipModel', model: newChip }, catalogFromSeed());
      expect(events).toEqual([{ type: 'ChipModelAdded', data: { model: newChip } }]);
      expect(events.reduce(evolveCatalog, catalogFromSeed()).get('nvidia-b30a')).toEqual(newChip);
    });
    it('refuses a model id already in the catalog', () => {
      const e = refusal(() => decideCatalog({ type: 'AddChipModel', model: { ...newChip, modelId: M.h20 } }, catalogFromSeed()));
      expect(e).toMatchObject({ code: 'CATALOG.MODEL_EXISTS', kind: 'conflict', field: 'model.modelId' });
    });
    it('refuses a negative figure', () => {
      const e = refusal(() =>
        decideCatalog({ type: 'AddChipModel', model: { ...newChip, dramBandwidthGBs: { value: -1 } } }, emptyCatalog()),
      );
      expect(e).toMatchObject({ code: 'CATALOG.INVALID_SPEC', field: 'model.dramBandwidthGBs.value' });
    });
  });

  describe('when a model is corrected', () => {
    const catalog: ChipCatalog = catalogFromSeed();
    it('emits only the fields that change, and evolve applies them', () => {
      const events = decideCatalog(
        { type: 'CorrectChipModel', modelId: M.mi308, changes: { dramBandwidthGBs: { value: 5300, estimate: true }, name: 'Instinct MI308' }, reason: 'datasheet' },
        catalog,
      );
      expect(events).toEqual([
        { type: 'ChipModelCorrected', data: { modelId: M.mi308, changes: { dramBandwidthGBs: { value: 5300, estimate: true } }, reason: 'datasheet' } },
      ]);
      expect(events.reduce(evolveCatalog, catalog).get(M.mi308)?.dramBandwidthGBs.value).toBe(5300);
    });
    it('refuses an unknown model', () => {
      const e = refusal(() => decideCatalog({ type: 'CorrectChipModel', modelId: 'nope', changes: { name: 'x' }, reason: 'r' }, catalog));
      expect(e).toMatchObject({ code: 'CATALOG.UNKNOWN_MODEL', kind: 'not-found', field: 'modelId' });
    });
    it('refuses an empty correction, and one that changes nothing', () => {
      expect(refusal(() => decideCatalog({ type: 'CorrectChipModel', modelId: M.h20, changes: {}, reason: 'r' }, catalog))).toMatchObject({
        code: 'CATALOG.EMPTY_CORRECTION',
        field: 'changes',
      });
      const same = catalog.get(M.h20)?.dramBandwidthGBs;
      expect(
        refusal(() => decideCatalog({ type: 'CorrectChipModel', modelId: M.h20, changes: { dramBandwidthGBs: same }, reason: 'r' }, catalog)),
      ).toMatchObject({ code: 'CATALOG.EMPTY_CORRECTION' });
    });
    it('ignores a correction event for an unknown model when folding', () => {
      const c = emptyCatalog();
      expect(evolveCatalog(c, { type: 'ChipModelCorrected', data: { modelId: 'x', changes: {}, reason: '' } })).toBe(c);
    });
  });
});
