import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, Optional } from '@nestjs/common';
import { from, type Observable, switchMap } from 'rxjs';
import type { Actor } from '@chip-ledger/domain';
import type { CommandOutcome } from '@chip-ledger/command-side';
import { LEDGER_HEADS, type LedgerHeads } from '@chip-ledger/event-store';
import { ledgerPositionToken, POSITION_SIGNER, type PositionSigner } from '@chip-ledger/http';
import { toCommandResponse, type CommandResponse } from './command-response';

/**
 * Turns what a command handler returns (a CommandOutcome: the addressed stream and what the append recorded) into
 * the 201 answer, with the read-your-writes token signed for the writer's organisation. The command side knows
 * neither HTTP nor tokens; this is where an outcome becomes a response.
 */
@Injectable()
export class CommandResponseInterceptor implements NestInterceptor<CommandOutcome, CommandResponse> {
  constructor(
    /** Signs the read-your-writes token for the writer's organisation (absent: unsigned). */
    @Optional() @Inject(POSITION_SIGNER) private readonly signer: PositionSigner | null = null,
    /** The heads of every context store, read after the append for the read-your-writes token (absent: no token). */
    @Optional() @Inject(LEDGER_HEADS) private readonly heads: LedgerHeads | null = null,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<CommandOutcome>): Observable<CommandResponse> {
    const { actor } = context.switchToHttp().getRequest<{ actor: Actor }>();
    return next.handle().pipe(switchMap((outcome) => from(this.respond(outcome, actor.organisation))));
  }

  /**
   * The read-your-writes token: every context store's head, read after the append committed (or, for a replayed or
   * empty command, now: the fact is recorded already), so it covers this write and everything recorded before it.
   */
  private async respond(outcome: CommandOutcome, organisation: string): Promise<CommandResponse> {
    return toCommandResponse(outcome, await this.position(organisation));
  }

  private async position(organisation: string): Promise<string | null> {
    if (!this.heads) return null;
    const heads = await this.heads.read();
    const signer = this.signer;
    return ledgerPositionToken(heads, signer ? (h) => signer.signHeads(organisation, h) : undefined);
  }
}
