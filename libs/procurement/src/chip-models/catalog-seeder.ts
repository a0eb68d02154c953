import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_SCHEMA_VERSIONS, seedCatalogEvents, streamIds, type Actor } from '@chip-ledger/domain';
import { EVENT_STORE, type EventStore } from '@chip-ledger/event-store';

const SYSTEM_ACTOR: Actor = { id: 'system:catalog-seed', organisation: 'chip-ledger', role: 'admin' };

/**
 * The catalog ships with the models of the domain reference (DOMAIN.md §4). At start-up each seed model
 * missing from the store is added as an ordinary ChipModelAdded event, so admins' later corrections
 * apply to it like to any model. Idempotent: a model's stream can only be created once.
 */
@Injectable()
export class CatalogSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogSeeder.name);

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    const missing = [];
    for (const event of seedCatalogEvents()) {
      const streamId = streamIds.chipModel(event.data.model.modelId);
      if ((await this.store.streamVersion(streamId)) === 0) missing.push({ streamId, event });
    }
    if (missing.length === 0) return;
    const occurredAt = '2025-01-01T00:00:00.000Z';
    try {
      await this.store.append(
        missing.map(({ streamId, event }) => ({
          streamId,
          expectedVersion: 0,
          events: [
            {
              eventId: randomUUID(),
              type: event.type,
              schemaVersion: EVENT_SCHEMA_VERSIONS.ChipModelAdded,
              occurredAt,
              actor: SYSTEM_ACTOR,
              correlationId: 'catalog-seed',
              causationId: null,
              data: event.data,
            },
          ],
        })),
      );
      this.logger.log(`Seeded ${missing.length} chip models into the catalog`);
    } catch (error) {
      // Another instance seeded concurrently: its append won, which is all we wanted.
      if ((error as Error).name !== 'WrongExpectedVersionError') throw error;
    }
  }
}
