import type { Role } from '../api/types';

/** Who the dashboard acts as: the bearer token and what it says about its holder. */
export interface Session {
  readonly token: string;
  readonly role: Role;
  readonly organisationId: string;
  readonly subject: string;
  /** Epoch milliseconds; null when the token has no expiry. */
  readonly expiresAt: number | null;
}

const ROLES: readonly Role[] = ['operator', 'viewer', 'auditor', 'admin'];

/** Why a token cannot be used, in words the sign-in form shows. */
export type TokenProblem = 'malformed' | 'expired' | 'no-role';

/**
 * Reads a JWT's claims without verifying it (the API verifies; the page only needs to know whose view it shows and
 * when to ask for a new token). Returns the session, or why the token cannot make one at `now`.
 */
export function sessionFromToken(token: string, now: number): Session | TokenProblem {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  const parts = trimmed.split('.');
  if (parts.length !== 3) return 'malformed';
  let claims: { sub?: unknown; org?: unknown; role?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(decodeBase64Url(parts[1])) as typeof claims;
  } catch {
    return 'malformed';
  }
  if (typeof claims !== 'object' || claims === null) return 'malformed';
  if (typeof claims.role !== 'string' || !ROLES.includes(claims.role as Role) || typeof claims.org !== 'string') return 'no-role';
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  if (expiresAt !== null && expiresAt <= now) return 'expired';
  return { token: trimmed, role: claims.role as Role, organisationId: claims.org, subject: typeof claims.sub === 'string' ? claims.sub : claims.org, expiresAt };
}

export const isSession = (value: Session | TokenProblem): value is Session => typeof value === 'object';

export const TOKEN_PROBLEMS: Record<TokenProblem, string> = {
  malformed: 'This is not a bearer token (a JWT has three dot-separated parts).',
  expired: 'This token has expired: mint a new one.',
  'no-role': 'This token names no Chip Ledger role and organisation.',
};

function decodeBase64Url(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const binary = atob(base64);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

const STORAGE_KEY = 'chip-ledger.token';

/** The token survives a reload, in this browser only. */
export const tokenStore = {
  load(): string | null {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  },
  save(token: string): void {
    try {
      window.localStorage.setItem(STORAGE_KEY, token);
    } catch {
      // Storage can be disabled: the session then lasts as long as the page.
    }
  },
  clear(): void {
    try {
      window.localStorage.removeItem(STORAGE_KEY);
    } catch {
      // as above
    }
  },
};
