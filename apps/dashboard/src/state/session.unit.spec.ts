import { isSession, sessionFromToken } from './session';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: object) => `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
const now = Date.parse('2026-03-01T00:00:00Z');

describe('sessionFromToken', () => {
  it('reads role, organisation and expiry from the claims', () => {
    const session = sessionFromToken(jwt({ sub: 'viewer@gansu', org: 'gansu', role: 'viewer', exp: now / 1000 + 60 }), now);
    expect(session).toEqual({ token: expect.any(String), role: 'viewer', organisationId: 'gansu', subject: 'viewer@gansu', expiresAt: now + 60_000 });
  });

  it('accepts a pasted "Bearer ..." header value and surrounding blanks', () => {
    const token = jwt({ org: 'gansu', role: 'auditor' });
    const session = sessionFromToken(`  Bearer ${token}\n`, now);
    expect(isSession(session) && session.token).toBe(token);
  });

  it('refuses an expired token, one without a Chip Ledger role, and anything that is not a JWT', () => {
    expect(sessionFromToken(jwt({ org: 'gansu', role: 'viewer', exp: now / 1000 }), now)).toBe('expired');
    expect(sessionFromToken(jwt({ org: 'gansu', role: 'root' }), now)).toBe('no-role');
    expect(sessionFromToken(jwt({ role: 'viewer' }), now)).toBe('no-role');
    expect(sessionFromToken('not a token', now)).toBe('malformed');
    expect(sessionFromToken('a.%%%.c', now)).toBe('malformed');
  });

  it('reads claims with non-ASCII text', () => {
    const session = sessionFromToken(jwt({ sub: 'Zoë', org: 'gansu', role: 'viewer' }), now);
    expect(isSession(session) && session.subject).toBe('Zoë');
  });
});
