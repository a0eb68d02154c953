import type { Finding, Severity } from '../api/types';
import { filterFindings, NO_FINDINGS_FILTER, orderFindings, summariseByRule } from './findings-view';

const finding = (id: string, ruleId: string, severity: Severity, o: Partial<Finding> = {}): Finding =>
  ({ id, findingId: id, ruleId, severity, dataCenterId: 'dc-1', modelId: 'nvidia-h20', message: 'msg', acknowledged: false, openedAt: '2025-11-05T00:00:00.000Z', status: 'open', ...o }) as Finding;

describe('findings view', () => {
  const findings = [
    finding('a', 'US-IAAS-TRAINING', 'risk', { openedAt: '2025-06-01T00:00:00.000Z' }),
    finding('b', 'CN-STATE-FUNDED-DOMESTIC', 'review', { dataCenterId: 'dc-2' }),
    finding('c', 'CN-STATE-FUNDED-DOMESTIC', 'breach', { acknowledged: true }),
    finding('d', 'US-IAAS-TRAINING', 'risk', { openedAt: '2025-07-01T00:00:00.000Z' }),
    finding('e', 'US-PRC-3A090-USE', 'risk', { modelId: 'huawei-ascend-910b' }),
  ];

  it('summarises by rule, rules with breaches first', () => {
    expect(summariseByRule(findings)).toEqual([
      { ruleId: 'CN-STATE-FUNDED-DOMESTIC', counts: { breach: 1, review: 1, risk: 0 }, total: 2, acknowledged: 1 },
      { ruleId: 'US-IAAS-TRAINING', counts: { breach: 0, review: 0, risk: 2 }, total: 2, acknowledged: 0 },
      { ruleId: 'US-PRC-3A090-USE', counts: { breach: 0, review: 0, risk: 1 }, total: 1, acknowledged: 0 },
    ]);
  });

  it('orders the worst first, then the newest', () => {
    expect(orderFindings(findings).map((f) => f.id)).toEqual(['c', 'b', 'e', 'd', 'a']);
  });

  it('filters by severity, rule, acknowledgement and text (the data center name included)', () => {
    const ids = (filter: Partial<typeof NO_FINDINGS_FILTER>) => filterFindings(findings, { ...NO_FINDINGS_FILTER, ...filter }, (id) => (id === 'dc-2' ? 'Lanzhou New Area hub' : id)).map((f) => f.id);
    expect(ids({ severity: 'risk' })).toEqual(['a', 'd', 'e']);
    expect(ids({ ruleId: 'CN-STATE-FUNDED-DOMESTIC', acknowledgement: 'unacknowledged' })).toEqual(['b']);
    expect(ids({ acknowledgement: 'acknowledged' })).toEqual(['c']);
    expect(ids({ text: 'lanzhou' })).toEqual(['b']);
    expect(ids({ text: 'ASCEND' })).toEqual(['e']);
  });
});
