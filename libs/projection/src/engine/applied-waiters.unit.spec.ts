import { AppliedWaiters } from './applied-waiters';

/** A stand-in for the applied_events look-up: which tokens are applied, per projection, and a log of the calls. */
function fakeStore() {
  const applied = new Map<string, Set<string>>();
  const calls: { projection: string; tokens: readonly string[] }[] = [];
  return {
    calls,
    apply: (projection: string, token: string) => applied.set(projection, (applied.get(projection) ?? new Set()).add(token)),
    check: async (projection: string, tokens: readonly string[]) => {
      calls.push({ projection, tokens });
      return tokens.map((token) => applied.get(projection)?.has(token) ?? false);
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AppliedWaiters', () => {
  it('answers at once what is already applied', async () => {
    const store = fakeStore();
    store.apply('chip-mix', 'a@1');
    await expect(new AppliedWaiters(store.check).wait(['chip-mix'], ['a@1'], 1_000)).resolves.toBe(true);
  });

  it('checks the tokens of every waiting request in one call per projection', async () => {
    const store = fakeStore();
    const waiters = new AppliedWaiters(store.check, 10_000);
    const waits = Array.from({ length: 50 }, (_, i) => waiters.wait(['chip-mix', 'findings'], [`s${i}@1`], 5_000));
    await tick();
    store.calls.length = 0;
    for (let i = 0; i < 50; i++) {
      store.apply('chip-mix', `s${i}@1`);
      store.apply('findings', `s${i}@1`);
    }
    waiters.kick(); // a local commit
    await expect(Promise.all(waits)).resolves.toEqual(Array(50).fill(true));
    expect(store.calls.map((call) => [call.projection, call.tokens.length])).toEqual([
      ['chip-mix', 50],
      ['findings', 50],
    ]);
  });

  it('needs every projection and token; only what is still missing is asked again', async () => {
    const store = fakeStore();
    const waiters = new AppliedWaiters(store.check, 10_000);
    const wait = waiters.wait(['chip-mix', 'findings'], ['a@1', 'b@2'], 5_000);
    store.apply('chip-mix', 'a@1');
    store.apply('chip-mix', 'b@2');
    store.apply('findings', 'a@1');
    waiters.kick();
    await tick();
    store.calls.length = 0;
    store.apply('findings', 'b@2');
    waiters.kick();
    await expect(wait).resolves.toBe(true);
    expect(store.calls).toEqual([{ projection: 'findings', tokens: ['b@2'] }]);
  });

  it('polls while anyone waits (the projector may be another process) and answers false at the deadline', async () => {
    const store = fakeStore();
    const waiters = new AppliedWaiters(store.check, 5);
    const applied = waiters.wait(['chip-mix'], ['late@1'], 2_000);
    const never = waiters.wait(['chip-mix'], ['never@1'], 60);
    setTimeout(() => store.apply('chip-mix', 'late@1'), 20); // no kick: only polling can see it
    await expect(applied).resolves.toBe(true);
    await expect(never).resolves.toBe(false);
  });

  it('keeps waiting through a failing check: true when a later check succeeds, false at the deadline, never an error', async () => {
    let failures = 2;
    const store = fakeStore();
    const waiters = new AppliedWaiters<string>(async (projection, tokens) => {
      if (failures-- > 0) throw new Error('database down');
      return store.check(projection, tokens);
    }, 5);
    store.apply('chip-mix', 'a@1');
    await expect(waiters.wait(['chip-mix'], ['a@1'], 2_000)).resolves.toBe(true);
    expect(waiters.lastError?.message).toBe('database down');
    const broken = new AppliedWaiters<string>(async () => {
      throw new Error('database down');
    }, 5);
    await expect(broken.wait(['chip-mix'], ['a@1'], 50)).resolves.toBe(false);
  });

  it('answers false at the deadline even while a check hangs, and cancels the rest on stop', async () => {
    const hanging = new AppliedWaiters<string>(() => new Promise<readonly boolean[]>(() => undefined), 5, 100);
    await expect(hanging.wait(['chip-mix'], ['a@1'], 30)).resolves.toBe(false);
    const waiters = new AppliedWaiters<string>(async () => [false], 10_000);
    const pending = waiters.wait(['chip-mix'], ['a@1'], 60_000);
    await tick();
    waiters.cancelAll();
    await expect(pending).resolves.toBe(false);
  });
});
