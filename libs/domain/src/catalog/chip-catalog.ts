import { DomainError, type DomainErrorCode } from '../shared/domain-error';
import type { ChipModelAdded, ChipModelCorrected, ChipModelEvent } from '../events/ledger-events';
import type { ChipModelSpec, Figure } from './chip-model';
import { SEED_CHIP_MODELS } from './seed-catalog';

/** The chip catalog as state: model id → spec. Changed only by ChipModelAdded / ChipModelCorrected events. */
export type ChipCatalog = ReadonlyMap<string, ChipModelSpec>;

export const emptyCatalog = (): ChipCatalog => new Map();

/** The catalog as shipped (DOMAIN.md §4). Deployments record it as ChipModelAdded events (`seedCatalogEvents`). */
export const catalogFromSeed = (): ChipCatalog => new Map(SEED_CHIP_MODELS.map((m) => [m.modelId, m]));

/** The seed as events, for bootstrapping an empty store: one ChipModelAdded per model. */
export const seedCatalogEvents = (): ChipModelAdded[] => SEED_CHIP_MODELS.map((model) => ({ type: 'ChipModelAdded', data: { model } }));

// ---- commands -------------------------------------------------------------------------------------------
export interface AddChipModel {
  readonly type: 'AddChipModel';
  readonly model: ChipModelSpec;
}
export interface CorrectChipModel {
  readonly type: 'CorrectChipModel';
  readonly modelId: string;
  readonly changes: Partial<Omit<ChipModelSpec, 'modelId'>>;
  readonly reason: string;
}
export type ChipCatalogCommand = AddChipModel | CorrectChipModel;

// ---- refusals -------------------------------------------------------------------------------------------
/** Refusals use the shared DomainError with the CATALOG.* codes (see ../shared/domain-error.ts). */
const refuse = (code: DomainErrorCode, message: string, field: string | null = null, details: Readonly<Record<string, unknown>> | null = null): DomainError =>
  new DomainError(code, message, { field: field ?? undefined, details: details ?? undefined });

const FIGURE_FIELDS = ['denseFp16Tflops', 'dieAreaMm2', 'dramBandwidthGBs', 'chipToChipGBs'] as const;
const TEXT_FIELDS = ['name', 'vendor', 'source'] as const;

const checkFigure = (figure: Figure | undefined, field: string): void => {
  if (figure === undefined) return;
  const v = figure?.value;
  if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
    throw refuse('CATALOG.INVALID_SPEC', `${field} must be a non-negative number or null (unknown)`, field, { value: v });
  }
};
const checkText = (value: unknown, field: string): void => {
  if (typeof value !== 'string' || value.trim() === '') throw refuse('CATALOG.INVALID_SPEC', `${field} is required`, field);
};
const checkCountry = (value: unknown, field: string, nullable: boolean): void => {
  if (nullable && value === null) return;
  if (typeof value !== 'string' || !/^[A-Z]{2}$/.test(value)) {
    throw refuse('CATALOG.INVALID_SPEC', `${field} must be an ISO 3166-1 alpha-2 code`, field, { value });
  }
};

const checkSpecFields = (spec: Partial<ChipModelSpec>, prefix: string, partial: boolean): void => {
  for (const f of TEXT_FIELDS) if (!partial || f in spec) checkText(spec[f], `${prefix}${f}`);
  if (!partial || 'vendorHeadquarters' in spec) checkCountry(spec.vendorHeadquarters, `${prefix}vendorHeadquarters`, false);
  if (!partial || 'fabCountry' in spec) checkCountry(spec.fabCountry, `${prefix}fabCountry`, true);
  if ((!partial || 'usOrigin' in spec) && typeof spec.usOrigin !== 'boolean') {
    throw refuse('CATALOG.INVALID_SPEC', `${prefix}usOrigin must be a boolean`, `${prefix}usOrigin`);
  }
  for (const f of FIGURE_FIELDS) {
    if (!partial && spec[f] === undefined) throw refuse('CATALOG.INVALID_SPEC', `${prefix}${f} is required (value null = unknown)`, `${prefix}${f}`);
    checkFigure(spec[f], `${prefix}${f}.value`);
  }
};

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Decides a catalog command against the current catalog; throws a DomainError (CATALOG.*) when refused. */
export const decideCatalog = (command: ChipCatalogCommand, catalog: ChipCatalog): ChipModelEvent[] => {
  switch (command.type) {
    case 'AddChipModel': {
      const { model } = command;
      checkText(model?.modelId, 'model.modelId');
      if (catalog.has(model.modelId)) {
        throw refuse('CATALOG.MODEL_EXISTS', `chip model ${model.modelId} is already in the catalog`, 'model.modelId', {
          modelId: model.modelId,
        });
      }
      checkSpecFields(model, 'model.', false);
      return [{ type: 'ChipModelAdded', data: { model } }];
    }
    case 'CorrectChipModel': {
      const current = catalog.get(command.modelId);
      if (current === undefined) {
        throw refuse('CATALOG.UNKNOWN_MODEL', `chip model ${command.modelId} is not in the catalog`, 'modelId', {
          modelId: command.modelId,
        });
      }
      if ('modelId' in (command.changes ?? {})) {
        throw refuse('CATALOG.INVALID_SPEC', 'a correction cannot change the model id; add a new model instead', 'changes.modelId');
      }
      const changed = Object.entries(command.changes ?? {}).filter(
        ([k, v]) => v !== undefined && !sameValue(v, current[k as keyof ChipModelSpec]),
      );
      if (changed.length === 0) {
        throw refuse('CATALOG.EMPTY_CORRECTION', `the correction of ${command.modelId} changes nothing`, 'changes');
      }
      checkText(command.reason, 'reason');
      const changes = Object.fromEntries(changed) as ChipModelCorrected['data']['changes'];
      checkSpecFields(changes, 'changes.', true);
      return [{ type: 'ChipModelCorrected', data: { modelId: command.modelId, changes, reason: command.reason } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown catalog command: ${JSON.stringify(unhandled)}`);
    }
  }
};

/**
 * Applies a catalog event (bare or in its envelope). Never throws for a catalog event: an add of a known id replaces it (replays
 * of the seed are harmless), a correction of an unknown id is ignored.
 */
export const evolveCatalog = (catalog: ChipCatalog, event: Pick<ChipModelEvent, 'type' | 'data'>): ChipCatalog => {
  const next = new Map(catalog);
  const e = event as ChipModelEvent;
  switch (e.type) {
    case 'ChipModelAdded':
      next.set(e.data.model.modelId, e.data.model);
      return next;
    case 'ChipModelCorrected': {
      const current = catalog.get(e.data.modelId);
      if (current === undefined) return catalog;
      next.set(e.data.modelId, { ...current, ...e.data.changes, modelId: current.modelId });
      return next;
    }
    default: {
      const unhandled: never = e;
      throw new Error(`Unknown catalog event: ${JSON.stringify(unhandled)}`);
    }
  }
};

/** The catalog as a decider. Its stream is the whole catalog (uniqueness of model ids needs every model). */
export const chipCatalogDecider = {
  initialState: emptyCatalog,
  evolve: evolveCatalog,
  decide: decideCatalog,
} as const;
