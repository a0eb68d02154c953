/**
 * RFC 9457 problem details. Every error the API returns has this shape, with `Content-Type:
 * application/problem+json`. `type` is a stable URI built from the error code, so clients can switch on it.
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  /** Stable machine-readable code, e.g. 'STOCK.INSUFFICIENT_INSTALLED' or 'REQUEST.INVALID_BODY'. */
  readonly code: string;
  /** The offending field, when one field is to blame (dotted path in the request body, or a header name). */
  readonly field?: string | null;
  /** Every invalid field, for validation errors. */
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://chipledger.dev/problems/';

/** The `type` URI for a code: 'STOCK.INSUFFICIENT_INSTALLED' → '.../stock/insufficient-installed'. */
export function problemType(code: string): string {
  return TYPE_BASE + code.toLowerCase().replace(/_/g, '-').replace(/\./g, '/');
}

export function problem(status: number, code: string, title: string, detail: string, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  return { type: problemType(code), title, status, detail, code, ...extra };
}
