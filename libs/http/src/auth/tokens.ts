import { JwtService } from '@nestjs/jwt';
import type { Role } from '@chip-ledger/domain';

/** Mint an access token (the CLI's `token` command and the tests use it). */
export function mintAccessToken(claims: { sub: string; org: string; role: Role }, secret: string, expiresInSeconds = 12 * 3600): string {
  return new JwtService({ secret }).sign({ ...claims }, { algorithm: 'HS256', expiresIn: expiresInSeconds });
}
