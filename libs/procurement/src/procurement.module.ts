import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandExecutor } from '@chip-ledger/command-side';
import { CatalogSeeder } from './chip-models/catalog-seeder';
import { AddChipModelHandler, CorrectChipModelHandler } from './chip-models/chip-models.commands';
import { ChipModelsController } from './chip-models/chip-models.controller';
import { RegisterDataCenterHandler, ReportConstructionProgressHandler, ReportStateFundingHandler } from './data-centers/data-centers.commands';
import { DataCentersController } from './data-centers/data-centers.controller';
import {
  AmendExportLicenceHandler,
  ChangeLicenceStatusHandler,
  IssueExportLicenceHandler,
  RecordRemittanceHandler,
} from './export-licences/export-licences.commands';
import { ExportLicencesController } from './export-licences/export-licences.controller';
import { ChangeRestrictedPartyListingHandler, RegisterOrganisationHandler } from './organisations/organisations.commands';
import { OrganisationsController } from './organisations/organisations.controller';
import { CancelPurchaseOrderHandler, PlacePurchaseOrderHandler } from './purchase-orders/purchase-orders.commands';
import { PurchaseOrdersController } from './purchase-orders/purchase-orders.controller';
import { RecordDeliveryHandler, RecordInstallationHandler, RecordRemovalHandler, RecordTransferHandler } from './stock/stock.commands';
import { StockController } from './stock/stock.controller';

const handlers = [
  RegisterOrganisationHandler,
  ChangeRestrictedPartyListingHandler,
  AddChipModelHandler,
  CorrectChipModelHandler,
  RegisterDataCenterHandler,
  ReportConstructionProgressHandler,
  ReportStateFundingHandler,
  PlacePurchaseOrderHandler,
  CancelPurchaseOrderHandler,
  RecordDeliveryHandler,
  RecordInstallationHandler,
  RecordRemovalHandler,
  RecordTransferHandler,
  IssueExportLicenceHandler,
  AmendExportLicenceHandler,
  ChangeLicenceStatusHandler,
  RecordRemittanceHandler,
];

/**
 * The procurement context's command side: organisations, the chip catalog, data centers, purchase orders,
 * chip stock (deliveries, installations, removals, transfers) and US export licences.
 */
@Module({})
export class ProcurementModule {
  /**
   * @param infrastructure providers of EVENT_STORE (the procurement schema's store) and CLOCK: the app
   *   chooses the adapters, the module never does.
   */
  static forRoot(infrastructure: { providers: Provider[] }): DynamicModule {
    return {
      module: ProcurementModule,
      imports: [CqrsModule],
      controllers: [OrganisationsController, ChipModelsController, DataCentersController, PurchaseOrdersController, StockController, ExportLicencesController],
      providers: [...infrastructure.providers, CommandExecutor, CatalogSeeder, ...handlers],
    };
  }
}
