export type { ChipStockCommand, DeliverChips, InstallChips, RemoveChips, TransferChips } from './chip-stock.commands';
export type { ChipStockState, StockMovement } from './chip-stock.state';
export { evolveChipStock, initialChipStockState, stockArithmeticHolds, stockAt } from './chip-stock.state';
export { chipStockDecider, decideChipStock } from './chip-stock.decider';
export type { TransferDecision } from './transfer';
export { decideTransfer } from './transfer';
