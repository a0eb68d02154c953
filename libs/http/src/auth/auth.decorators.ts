import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { PUBLIC_EXTENSION, ROLES_EXTENSION } from '../openapi/openapi';
import type { Actor, Role } from '@chip-ledger/domain';

export const IS_PUBLIC = 'chipledger:public';
export const REQUIRED_ROLES = 'chipledger:roles';

/** No token needed (health, OpenAPI); the OpenAPI operation gets `security: []`. */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));

/**
 * Only these roles may call the endpoint; the OpenAPI operation lists them in `x-roles` (and its description).
 * On a class, a method's own `@Roles` wins, for the guard and the document alike.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(REQUIRED_ROLES, roles), ApiExtension(ROLES_EXTENSION, roles));

/** The authenticated actor, as the guard put it on the request. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
