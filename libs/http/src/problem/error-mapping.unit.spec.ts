import { toProblem } from './error-mapping';

/** The event store's errors, recognised by name as they cross into HTTP (this layer does not import the store). */
const storeError = (name: string, message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...fields });

describe('toProblem: the event store refusals', () => {
  it.each([
    ['WrongExpectedVersionError', 409, 'STREAM.WRONG_EXPECTED_VERSION'],
    ['IdempotencyConflictError', 422, 'IDEMPOTENCY.KEY_REUSED'],
    ['DuplicateEventIdError', 409, 'EVENT.DUPLICATE_ID'],
    ['InvalidAppendError', 422, 'EVENT.NOT_STORABLE'],
    ['StoreBusyError', 503, 'LEDGER.BUSY'],
  ])('%s → %i %s, never a 500', (name, status, code) => {
    const { problem, unexpected } = toProblem(storeError(name, 'why'));
    expect(problem).toMatchObject({ status, code, detail: 'why' });
    expect(unexpected).toBe(false);
  });

  it('anything else is a 500 the server logs', () => {
    expect(toProblem(new Error('boom'))).toMatchObject({ problem: { status: 500, code: 'SERVER.UNEXPECTED' }, unexpected: true });
  });
});

describe('toProblem: errors from Express middleware', () => {
  it('keeps an exposed 4xx http-error as a client error with its status', () => {
    const error = Object.assign(new Error('Failed to decode param'), { status: 400, expose: true });
    expect(toProblem(error)).toMatchObject({ problem: { status: 400, code: 'REQUEST.INVALID' }, unexpected: false });
  });

  it('treats a 5xx or an unexposed error as unexpected', () => {
    expect(toProblem(Object.assign(new Error('stream not readable'), { status: 500, expose: false }))).toMatchObject({ problem: { status: 500 }, unexpected: true });
    expect(toProblem(Object.assign(new Error('x'), { status: 413 }))).toMatchObject({ problem: { status: 500 }, unexpected: true });
  });
});

