import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandExecutor } from '@chip-ledger/command-side';
import { EndRentalHandler, ExtendRentalHandler, StartRentalHandler } from './rentals/rentals.commands';
import { RentalsController } from './rentals/rentals.controller';

/**
 * The rental context's command side: capacity of a provider data center rented to a tenant (started,
 * extended, ended). The app provides EVENT_STORE (the rental schema's store, written), CLOCK, and
 * PROCUREMENT_EVENT_STORE (the procurement schema's store, only read: data centers, chip stock,
 * organisations, the chip catalog).
 */
@Module({})
export class RentalModule {
  static forRoot(infrastructure: { providers: Provider[] }): DynamicModule {
    return {
      module: RentalModule,
      imports: [CqrsModule],
      controllers: [RentalsController],
      providers: [...infrastructure.providers, CommandExecutor, StartRentalHandler, ExtendRentalHandler, EndRentalHandler],
    };
  }
}
