import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ProblemException } from '../problem/error-mapping';
import { JwtAuthGuard } from './jwt-auth.guard';
import { mintAccessToken } from './tokens';

const SECRET = 'unit-test-secret-that-is-long-enough';

/** The guard reads only the request's headers and the handler's metadata (none here: any role passes). */
function contextWith(authorization: string): { context: ExecutionContext; request: { headers: Record<string, string>; actor?: unknown } } {
  const request = { headers: { authorization } };
  const context = {
    getHandler: () => function handler() {
      return undefined;
    },
    getClass: () => class Controller {},
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

describe('JwtAuthGuard', () => {
  const jwt = new JwtService({ secret: SECRET });
  const guard = new JwtAuthGuard(new Reflector(), jwt);

  afterEach(() => jest.restoreAllMocks());

  it('verifies a token once and reuses the verdict for the same token text', () => {
    const verify = jest.spyOn(jwt, 'verify');
    const token = mintAccessToken({ sub: 'ops@org-a', org: 'org-a', role: 'operator' }, SECRET);
    for (let i = 0; i < 3; i++) {
      const { context, request } = contextWith(`Bearer ${token}`);
      expect(guard.canActivate(context)).toBe(true);
      expect(request.actor).toEqual({ id: 'ops@org-a', organisation: 'org-a', role: 'operator' });
    }
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses a remembered token once it has expired', () => {
    const token = mintAccessToken({ sub: 'ops@org-b', org: 'org-b', role: 'operator' }, SECRET, 60);
    expect(guard.canActivate(contextWith(`Bearer ${token}`).context)).toBe(true);
    const later = Date.now() + 61_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    expect(() => guard.canActivate(contextWith(`Bearer ${token}`).context)).toThrow(/expired/);
  });

  it('does not take a token with another signature for a remembered one', () => {
    const token = mintAccessToken({ sub: 'ops@org-c', org: 'org-c', role: 'admin' }, SECRET);
    expect(guard.canActivate(contextWith(`Bearer ${token}`).context)).toBe(true);
    const forged = `${token.slice(0, token.lastIndexOf('.') + 1)}${'A'.repeat(43)}`;
    expect(() => guard.canActivate(contextWith(`Bearer ${forged}`).context)).toThrow(ProblemException);
  });

  it('refuses a correctly signed token that never expires', () => {
    const endless = jwt.sign({ sub: 'ops@org-d', org: 'org-d', role: 'operator' }, { algorithm: 'HS256' });
    expect(() => guard.canActivate(contextWith(`Bearer ${endless}`).context)).toThrow(/no expiry/);
  });
});
