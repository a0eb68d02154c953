/** Stream ids, one place. A stream is one aggregate's history. */
export const streamIds = {
  organisation: (organisationId: string) => `organisation-${organisationId}`,
  chipModel: (modelId: string) => `chip-model-${modelId}`,
  dataCenter: (dataCenterId: string) => `data-center-${dataCenterId}`,
  purchaseOrder: (purchaseOrderId: string) => `purchase-order-${purchaseOrderId}`,
  chipStock: (dataCenterId: string, modelId: string) => `chip-stock-${dataCenterId}.${modelId}`,
  rental: (rentalId: string) => `rental-${rentalId}`,
  exportLicence: (licenceId: string) => `export-licence-${licenceId}`,
  audit: (dataCenterId: string) => `audit-${dataCenterId}`,
} as const;
