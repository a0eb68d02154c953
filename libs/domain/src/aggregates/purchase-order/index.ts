export type { CancelPurchaseOrder, PlacePurchaseOrder, PurchaseOrderCommand } from './purchase-order.commands';
export type { ExistingPurchaseOrder, PurchaseOrderCancellation, PurchaseOrderFacts, PurchaseOrderState } from './purchase-order.state';
export { evolvePurchaseOrder, initialPurchaseOrderState, purchaseOrderFacts } from './purchase-order.state';
export { decidePurchaseOrder, purchaseOrderDecider } from './purchase-order.decider';
