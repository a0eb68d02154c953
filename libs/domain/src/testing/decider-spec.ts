import { foldEvents } from '../aggregates/decider';
import type { Decider } from '../aggregates/decider';
import type { DomainEvent } from '../events/envelope';
import type { Recorded } from '../events/recorded';
import { isDomainError } from '../shared/domain-error';
import type { DomainErrorCode } from '../shared/domain-error';

/*
 * Test-only: given / when / then for deciders, built on Jest's global `expect`. Not exported from the
 * library's index (production code must not pull Jest in).
 *
 *   spec.given(history).when(command).then([expectedEvents])
 *   spec.given(history).when(command).thenRefused('STOCK.INSUFFICIENT_INSTALLED', 'quantity')
 */
export const deciderSpec = <C extends { readonly type: string }, E extends DomainEvent, S>(decider: Decider<C, E, S>) => ({
  given: (history: readonly Recorded<E>[]) => ({
    when: (command: C) => {
      const run = (): E[] => decider.decide(command, foldEvents(decider, history));
      return {
        then: (expected: readonly E[]): void => {
          expect(run()).toEqual(expected);
        },
        thenRefused: (code: DomainErrorCode, field?: string | null): void => {
          let outcome: unknown;
          try {
            outcome = run();
          } catch (error) {
            if (!isDomainError(error)) throw error;
            expect({ code: error.code, ...(field === undefined ? {} : { field: error.field }) }).toEqual({
              code,
              ...(field === undefined ? {} : { field }),
            });
            return;
          }
          throw new Error(`Expected ${code} but the command was accepted with ${JSON.stringify(outcome)}`);
        },
      };
    },
  }),
});
