const numbers = new Intl.NumberFormat('en');
const regions = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

export const formatCount = (n: number): string => numbers.format(n);

/** 2025-11-05: dates in the ledger are UTC instants; a day is what people compare. */
export const formatDate = (instant: string | null | undefined): string => (instant ? instant.slice(0, 10) : '—');

export const formatPercent = (fraction: number | null): string => (fraction === null ? '—' : `${Math.round(fraction * 100)} %`);

export function countryName(code: string | null): string {
  if (!code) return 'Unknown';
  try {
    return regions?.of(code) ?? code;
  } catch {
    return code;
  }
}

export const SEVERITY_LABELS = { breach: 'Breach', review: 'Review', risk: 'Risk' } as const;

export const CERTAINTY_LABELS: Record<string, string> = {
  regulation: 'Regulation',
  'licence-condition': 'Licence condition',
  guidance: 'Guidance',
  'reported-guidance': 'Reported guidance',
};

export const ECCN_CLASS_LABELS: Record<string, string> = {
  '3A090.a': '3A090.a',
  '3A090.b': '3A090.b',
  'not-controlled': 'Not 3A090',
  'cannot-classify': 'Cannot classify',
};
