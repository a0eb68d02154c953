import { lostDependency, toProblem } from './error-mapping';

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

  it('anything else is a 500 the server logs, which does not claim that nothing was recorded', () => {
    const { problem, unexpected } = toProblem(new Error('boom'), { method: 'POST' });
    expect(problem).toMatchObject({ status: 500, code: 'SERVER.UNEXPECTED' });
    expect(problem.detail).not.toMatch(/nothing was recorded/i);
    expect(problem.detail).toMatch(/same Idempotency-Key/);
    expect(unexpected).toBe(true);
  });
});

/** Shapes of what `pg`, Node's sockets, TypeORM and kafkajs throw when a dependency goes away. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { name: 'error', code, severity: 'FATAL' });
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });

describe('toProblem: a lost dependency', () => {
  it.each([
    ['57P01 admin shutdown (pg_ctl restart -m fast)', pgError('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash shutdown (-m immediate)', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['57P03 starting up / recovering', pgError('57P03', 'the database system is starting up')],
    ['08006 connection failure', pgError('08006', 'connection failure')],
    ['53300 too many connections', pgError('53300', 'sorry, too many clients already')],
    ['a refused connection', socketError('ECONNREFUSED')],
    ['a reset connection', socketError('ECONNRESET')],
    ['pg: the connection ended mid-query', new Error('Connection terminated unexpectedly')],
    ['pg: no connection within the pool timeout', new Error('timeout exceeded when trying to connect')],
    ['TypeORM wrapping a driver error', Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError: socketError('ECONNREFUSED') })],
    ['an error caused by one', new Error('loading the stream failed', { cause: pgError('57P01', 'terminating connection due to administrator command') })],
  ])('%s → 503 with Retry-After, never "nothing was recorded"', (_label, error) => {
    const { problem, unexpected } = toProblem(error, { method: 'POST' });
    expect(problem).toMatchObject({ status: 503, code: 'SERVICE.DEPENDENCY_UNAVAILABLE', dependency: 'database', retryAfterSeconds: 2 });
    expect(problem.detail).not.toMatch(/nothing was (recorded|written)/i);
    expect(problem.detail).toMatch(/not known/);
    expect(problem.detail).toMatch(/same Idempotency-Key/);
    expect(unexpected).toBe(false);
  });

  it('names Kafka when the cluster is unreachable', () => {
    const error = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSConnectionError', code: 'ECONNREFUSED' });
    expect(toProblem(error, { method: 'POST' }).problem).toMatchObject({ status: 503, dependency: 'kafka' });
  });

  it('tells a reader that nothing changed', () => {
    const { problem } = toProblem(socketError('ECONNREFUSED'), { method: 'GET' });
    expect(problem).toMatchObject({ status: 503, retryAfterSeconds: 2 });
    expect(problem.detail).toMatch(/Nothing was changed/);
  });

  it.each([
    ['a constraint violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', pgError('42601', 'syntax error at or near')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
  ])('%s is not a lost dependency', (_label, error) => {
    expect(lostDependency(error)).toBeNull();
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

