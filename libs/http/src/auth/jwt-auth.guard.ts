import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Actor, Role } from '@chip-ledger/domain';
import { problem } from '../problem/problem-details';
import { ProblemException } from '../problem/error-mapping';
import { actorFromClaims, ROLES, type AccessTokenClaims } from './actor';
import { IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators';

/** Tokens verified recently, by their exact text (signature included), so a hit is the same token. */
const VERIFIED_TOKENS_KEPT = 1_000;

/** Global guard: a valid bearer token on every route not marked @Public(), and the role the route asks for. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  /**
   * A client sends the same token on every request until it expires; verifying its HMAC and parsing its
   * JSON each time was ~4 % of a command's CPU. A hit is only reused until the token's `exp`.
   */
  private readonly verified = new Map<string, { readonly actor: Actor; readonly expiresAtMs: number }>();

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(JwtService) private readonly jwt: JwtService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: Actor }>();
    const actor = this.authenticate(request.headers['authorization']);
    request.actor = actor;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new ProblemException(
        problem(403, 'AUTH.ROLE_NOT_ALLOWED', 'Forbidden', `Role '${actor.role}' may not do this; allowed: ${roles.join(', ')}.`, {
          field: 'Authorization',
        }),
      );
    }
    return true;
  }

  private authenticate(header: string | undefined): Actor {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw unauthenticated('A bearer token is required (Authorization: Bearer <JWT>).');
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAtMs) return known.actor;
    this.verified.delete(token);
    const fresh = this.verify(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, fresh);
    return fresh.actor;
  }

  private verify(token: string): { readonly actor: Actor; readonly expiresAtMs: number } {
    let claims: AccessTokenClaims;
    try {
      claims = this.jwt.verify<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch (error) {
      throw unauthenticated(`The bearer token is not valid: ${(error as Error).message}.`);
    }
    if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || !ROLES.includes(claims.role)) {
      throw unauthenticated('The bearer token lacks sub, org or a known role.');
    }
    // A bearer token that never expires cannot be withdrawn short of changing the secret for everyone.
    if (typeof claims.exp !== 'number') throw unauthenticated('The bearer token has no expiry (exp); access tokens must expire.');
    // jsonwebtoken refuses a token once now >= exp (seconds).
    return { actor: actorFromClaims(claims), expiresAtMs: claims.exp * 1000 };
  }
}

function unauthenticated(detail: string): ProblemException {
  return new ProblemException(problem(401, 'AUTH.UNAUTHENTICATED', 'Unauthenticated', detail, { field: 'Authorization' }));
}
