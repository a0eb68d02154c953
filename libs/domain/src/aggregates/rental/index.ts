export type { EndRental, ExtendRental, RentalCommand, StartRental } from './rental.commands';
export type { RentalState } from './rental.state';
export { evolveRental, initialRentalState } from './rental.state';
export { decideRental, rentalDecider } from './rental.decider';
