import { SEED_MODEL_IDS as M, type Role } from '@chip-ledger/domain';

/** Who records a step: the token the loader mints for it. */
export interface DemoActor {
  readonly role: Role;
  readonly organisationId: string;
}

/** One command, exactly as an operator, admin or auditor would send it. */
export interface DemoStep {
  /** Stable and unique: the step's Idempotency-Key, so a second load records nothing. */
  readonly key: string;
  readonly as: DemoActor;
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
}

const admin: DemoActor = { role: 'admin', organisationId: 'chip-ledger' };
const auditor: DemoActor = { role: 'auditor', organisationId: 'ledger-audit' };
const operator = (organisationId: string): DemoActor => ({ role: 'operator', organisationId });

const hangzhouLab = operator('hangzhou-ai-lab');
const lionCity = operator('lion-city-dc');
const johor = operator('johor-digital');
const gansu = operator('gansu-compute');

/** The demo's data centers, by role in the story (the browser tests look them up here). */
export const DEMO_DATA_CENTERS = {
  hangzhou: 'dc-hangzhou',
  singapore: 'dc-singapore',
  johor: 'dc-johor',
  shenzhen: 'dc-shenzhen',
  /** State-funded, 20 % complete on 2025-11-05: its H20 are a breach of the domestic-chip mandate. */
  gansuEarly: 'dc-gansu-qingyang',
  /** State-funded, 45 % complete on 2025-11-05: its H20 await a case-by-case review. */
  gansuAdvanced: 'dc-gansu-lanzhou',
} as const;

/** The H20 the early-phase Gansu site holds: removing them all closes its mandate breach (DOMAIN.md §5, example 2). */
export const DEMO_GANSU_EARLY_H20 = 512;

const organisation = (organisationId: string, name: string, country: string): DemoStep => ({
  key: `organisation:${organisationId}`,
  as: admin,
  path: '/organisations',
  body: { organisationId, name, headquartersCountry: country, ultimateParentHeadquartersCountry: country, occurredAt: '2021-01-04' },
});

const dataCenter = (as: DemoActor, dataCenterId: string, name: string, country: string, region: string, occurredAt: string): DemoStep => ({
  key: `data-center:${dataCenterId}`,
  as,
  path: '/data-centers',
  body: { dataCenterId, name, ownerOrganisationId: as.organisationId, country, region, occurredAt },
});

const order = (as: DemoActor, purchaseOrderId: string, dataCenterId: string, supplier: string, lines: { modelId: string; quantity: number }[], occurredAt: string): DemoStep => ({
  key: `purchase-order:${purchaseOrderId}`,
  as,
  path: '/purchase-orders',
  body: { purchaseOrderId, buyerOrganisationId: as.organisationId, dataCenterId, supplier, lines, occurredAt },
});

const delivery = (
  as: DemoActor,
  dataCenterId: string,
  d: { deliveryId: string; modelId: string; quantity: number; purchaseOrderId: string; shippedFromCountry: string; licenceId?: string },
  occurredAt: string,
): DemoStep => ({ key: `delivery:${d.deliveryId}`, as, path: `/data-centers/${dataCenterId}/deliveries`, body: { ...d, occurredAt } });

const installation = (as: DemoActor, dataCenterId: string, modelId: string, quantity: number, occurredAt: string): DemoStep => ({
  key: `installation:${dataCenterId}:${modelId}:${occurredAt}`,
  as,
  path: `/data-centers/${dataCenterId}/installations`,
  body: { modelId, quantity, occurredAt },
});

const progress = (dataCenterId: string, completionPercent: number, occurredAt: string): DemoStep => ({
  key: `construction-progress:${dataCenterId}:${occurredAt}`,
  as: gansu,
  path: `/data-centers/${dataCenterId}/construction-progress`,
  body: { completionPercent, occurredAt },
});

const stateFunding = (dataCenterId: string, occurredAt: string): DemoStep => ({
  key: `state-funding:${dataCenterId}`,
  as: gansu,
  path: `/data-centers/${dataCenterId}/state-funding`,
  body: { funder: 'Gansu provincial computing-power fund', reference: 'East Data, West Computing programme, 2025 allocation', occurredAt },
});

const rental = (as: DemoActor, r: { rentalId: string; providerDataCenterId: string; tenantOrganisationId: string; modelId: string; chipCount: number; purpose: 'training' | 'inference'; periodStart: string; periodEnd: string }): DemoStep => ({
  key: `rental:${r.rentalId}`,
  as,
  path: '/rentals',
  body: { ...r, occurredAt: r.periodStart },
});

/**
 * The demo's facts, in the order they are recorded: the seed article's story (Alibaba and ByteDance training on
 * rented Nvidia capacity in Singapore and Malaysia; a private Hangzhou cluster that stockpiled before the rules and
 * now installs Ascend 910B; Beijing's mandate on state-funded Gansu sites at 20 % and 45 % completion; H20 licences
 * with the 15 % revenue share; H200 moved out of Malaysia into China) and DOMAIN.md §5. Every fact is back-dated
 * (occurredAt months or years before it is recorded) and goes through the same validation as any operator's.
 * The result holds findings of every severity: breaches (mandate, unpaid revenue share, the H200 re-export, the
 * missing Malaysian permit), a review (the 45 % site) and risks (Ascend in use, training rentals to Chinese tenants).
 */
export const DEMO_SCENARIO: readonly DemoStep[] = [
  organisation('alibaba', 'Alibaba Cloud', 'CN'),
  organisation('bytedance', 'ByteDance', 'CN'),
  organisation('lion-city-dc', 'Lion City Data Centres', 'SG'),
  organisation('johor-digital', 'Johor Digital Infrastructure', 'MY'),
  organisation('hangzhou-ai-lab', 'Hangzhou AI Lab', 'CN'),
  organisation('gansu-compute', 'Gansu Computing Power Co.', 'CN'),

  // A private cluster that bought Nvidia before each rule applied to it, then turned to Huawei.
  dataCenter(hangzhouLab, DEMO_DATA_CENTERS.hangzhou, 'Hangzhou private cluster', 'CN', 'Hangzhou, Zhejiang', '2022-01-10'),
  order(hangzhouLab, 'po-hangzhou-2022', DEMO_DATA_CENTERS.hangzhou, 'Nvidia (via distributor)', [
    { modelId: M.a100, quantity: 256 },
    { modelId: M.h800, quantity: 512 },
  ], '2022-08-01'),
  delivery(hangzhouLab, DEMO_DATA_CENTERS.hangzhou, { deliveryId: 'hangzhou-a100', modelId: M.a100, quantity: 256, purchaseOrderId: 'po-hangzhou-2022', shippedFromCountry: 'US' }, '2022-09-15'),
  installation(hangzhouLab, DEMO_DATA_CENTERS.hangzhou, M.a100, 256, '2022-09-20'),
  delivery(hangzhouLab, DEMO_DATA_CENTERS.hangzhou, { deliveryId: 'hangzhou-h800', modelId: M.h800, quantity: 512, purchaseOrderId: 'po-hangzhou-2022', shippedFromCountry: 'US' }, '2023-06-10'),
  installation(hangzhouLab, DEMO_DATA_CENTERS.hangzhou, M.h800, 512, '2023-06-20'),
  order(hangzhouLab, 'po-hangzhou-ascend', DEMO_DATA_CENTERS.hangzhou, 'Huawei', [{ modelId: M.ascend910b, quantity: 1024 }], '2025-10-01'),
  delivery(hangzhouLab, DEMO_DATA_CENTERS.hangzhou, { deliveryId: 'hangzhou-910b', modelId: M.ascend910b, quantity: 1024, purchaseOrderId: 'po-hangzhou-ascend', shippedFromCountry: 'CN' }, '2025-11-25'),
  installation(hangzhouLab, DEMO_DATA_CENTERS.hangzhou, M.ascend910b, 1024, '2025-12-05'),

  // Singapore: a local company's campus; Alibaba trains Qwen on it, ByteDance serves inference.
  dataCenter(lionCity, DEMO_DATA_CENTERS.singapore, 'Jurong West campus', 'SG', 'Jurong West', '2024-01-15'),
  order(lionCity, 'po-singapore-h100', DEMO_DATA_CENTERS.singapore, 'Nvidia', [{ modelId: M.h100Sxm, quantity: 2048 }], '2024-02-01'),
  delivery(lionCity, DEMO_DATA_CENTERS.singapore, { deliveryId: 'singapore-h100', modelId: M.h100Sxm, quantity: 2048, purchaseOrderId: 'po-singapore-h100', shippedFromCountry: 'US' }, '2024-04-01'),
  installation(lionCity, DEMO_DATA_CENTERS.singapore, M.h100Sxm, 2048, '2024-04-15'),
  rental(lionCity, { rentalId: 'rental-qwen-training', providerDataCenterId: DEMO_DATA_CENTERS.singapore, tenantOrganisationId: 'alibaba', modelId: M.h100Sxm, chipCount: 1024, purpose: 'training', periodStart: '2025-06-01', periodEnd: '2028-06-01' }),
  rental(lionCity, { rentalId: 'rental-doubao-inference', providerDataCenterId: DEMO_DATA_CENTERS.singapore, tenantOrganisationId: 'bytedance', modelId: M.h100Sxm, chipCount: 512, purpose: 'inference', periodStart: '2025-09-01', periodEnd: '2030-09-01' }),
  { key: 'rental-extension:rental-qwen-training:2026-03-02', as: lionCity, path: '/rentals/rental-qwen-training/extensions', body: { newPeriodEnd: '2030-06-01', occurredAt: '2026-03-02' } },

  // Malaysia: a local company's park; ByteDance trains Doubao on its H200. Then 128 H200 leave for its Shenzhen site.
  dataCenter(johor, DEMO_DATA_CENTERS.johor, 'Sedenak Tech Park', 'MY', 'Johor', '2024-03-01'),
  order(johor, 'po-johor-h200', DEMO_DATA_CENTERS.johor, 'Nvidia', [{ modelId: M.h200, quantity: 2048 }], '2025-01-10'),
  delivery(johor, DEMO_DATA_CENTERS.johor, { deliveryId: 'johor-h200', modelId: M.h200, quantity: 2048, purchaseOrderId: 'po-johor-h200', shippedFromCountry: 'US' }, '2025-03-15'),
  installation(johor, DEMO_DATA_CENTERS.johor, M.h200, 1536, '2025-03-25'),
  rental(johor, { rentalId: 'rental-doubao-training', providerDataCenterId: DEMO_DATA_CENTERS.johor, tenantOrganisationId: 'bytedance', modelId: M.h200, chipCount: 1024, purpose: 'training', periodStart: '2025-07-01', periodEnd: '2030-07-01' }),
  dataCenter(johor, DEMO_DATA_CENTERS.shenzhen, 'Shenzhen edge site', 'CN', 'Shenzhen, Guangdong', '2025-12-01'),
  {
    key: 'transfer:johor-to-shenzhen-h200',
    as: johor,
    path: '/transfers',
    body: { transferId: 'johor-to-shenzhen-h200', modelId: M.h200, quantity: 128, fromDataCenterId: DEMO_DATA_CENTERS.johor, toDataCenterId: DEMO_DATA_CENTERS.shenzhen, permitReference: null, occurredAt: '2026-02-10' },
  },
  installation(johor, DEMO_DATA_CENTERS.shenzhen, M.h200, 128, '2026-02-20'),

  // Gansu: two state-funded sites under Beijing's mandate, supplied with H20 under a licence with the 15 % revenue share.
  dataCenter(gansu, DEMO_DATA_CENTERS.gansuAdvanced, 'Lanzhou New Area hub', 'CN', 'Lanzhou, Gansu', '2025-02-01'),
  dataCenter(gansu, DEMO_DATA_CENTERS.gansuEarly, 'Qingyang compute hub, phase 1', 'CN', 'Qingyang, Gansu', '2025-03-01'),
  stateFunding(DEMO_DATA_CENTERS.gansuAdvanced, '2025-04-15'),
  stateFunding(DEMO_DATA_CENTERS.gansuEarly, '2025-04-15'),
  progress(DEMO_DATA_CENTERS.gansuEarly, 10, '2025-06-01'),
  progress(DEMO_DATA_CENTERS.gansuAdvanced, 30, '2025-08-01'),
  progress(DEMO_DATA_CENTERS.gansuEarly, 20, '2025-10-01'),
  progress(DEMO_DATA_CENTERS.gansuAdvanced, 45, '2025-10-15'),
  {
    key: 'export-licence:lic-h20-gansu',
    as: admin,
    path: '/export-licences',
    body: {
      licenceId: 'lic-h20-gansu',
      licenceNumber: 'D1125-H20-0147',
      exporter: 'Nvidia',
      consigneeOrganisationId: 'gansu-compute',
      destinationCountry: 'CN',
      modelIds: [M.h20],
      authorisedQuantity: 2000,
      validFrom: '2025-08-20',
      validTo: '2026-08-20',
      conditions: { revenueSharePercent: 15 },
      occurredAt: '2025-08-20',
    },
  },
  order(gansu, 'po-qingyang-h20', DEMO_DATA_CENTERS.gansuEarly, 'Nvidia', [{ modelId: M.h20, quantity: DEMO_GANSU_EARLY_H20 }], '2025-08-25'),
  order(gansu, 'po-lanzhou-h20', DEMO_DATA_CENTERS.gansuAdvanced, 'Nvidia', [{ modelId: M.h20, quantity: 1024 }], '2025-08-25'),
  delivery(gansu, DEMO_DATA_CENTERS.gansuEarly, { deliveryId: 'qingyang-h20', modelId: M.h20, quantity: DEMO_GANSU_EARLY_H20, purchaseOrderId: 'po-qingyang-h20', shippedFromCountry: 'US', licenceId: 'lic-h20-gansu' }, '2025-09-01'),
  installation(gansu, DEMO_DATA_CENTERS.gansuEarly, M.h20, DEMO_GANSU_EARLY_H20, '2025-09-10'),
  delivery(gansu, DEMO_DATA_CENTERS.gansuAdvanced, { deliveryId: 'lanzhou-h20', modelId: M.h20, quantity: 1024, purchaseOrderId: 'po-lanzhou-h20', shippedFromCountry: 'US', licenceId: 'lic-h20-gansu' }, '2025-09-20'),
  installation(gansu, DEMO_DATA_CENTERS.gansuAdvanced, M.h20, 1024, '2025-09-28'),
  // Lanzhou's share was remitted within 90 days; Qingyang's never was.
  {
    key: 'remittance:lic-h20-gansu:lanzhou-h20',
    as: admin,
    path: '/export-licences/lic-h20-gansu/remittances',
    body: { deliveryIds: ['lanzhou-h20'], amountUsd: '1843200.00', reference: 'USG-REV-SHARE-2025-1110', occurredAt: '2025-11-10' },
  },

  // The auditors' own facts.
  { key: 'audit:dc-gansu-lanzhou:aud-2026-01', as: auditor, path: `/data-centers/${DEMO_DATA_CENTERS.gansuAdvanced}/audits`, body: { auditId: 'aud-2026-01', scope: 'Domestic-chip mandate: case-by-case review of the H20 fleet', occurredAt: '2026-01-12' } },
  {
    key: 'finding-acknowledgement:hangzhou-ascend',
    as: auditor,
    path: `/data-centers/${DEMO_DATA_CENTERS.hangzhou}/finding-acknowledgements`,
    body: { findingId: `US-PRC-3A090-USE/${DEMO_DATA_CENTERS.hangzhou}/${M.ascend910b}/installed`, comment: 'Known: the site follows Beijing’s guidance; the US red flag stays on file.', occurredAt: '2026-01-20' },
  },
  { key: 'audit-note:dc-gansu-qingyang:2026-02-03', as: auditor, path: `/data-centers/${DEMO_DATA_CENTERS.gansuEarly}/audit-notes`, body: { note: 'Site visit: 512 H20 racked and powered; the operator says removal is planned.', occurredAt: '2026-02-03' } },
];
