import { Pipeline } from './pipeline';

const settleLater = <T>(ms: number, value: T, fail = false): Promise<T> =>
  new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms));

describe('Pipeline (statements sent without waiting for each)', () => {
  it('drains in the order sent and rethrows the first failure, not a later one that settled sooner', async () => {
    const pipeline = new Pipeline();
    const settled: string[] = [];
    pipeline.send(settleLater(30, 'journal').then((v) => settled.push(v)));
    pipeline.send(settleLater(20, 'findings', true));
    pipeline.send(settleLater(5, 'evaluations', true));
    await expect(pipeline.drain()).rejects.toThrow('findings');
    expect(settled).toEqual(['journal']);
  });

  it('leaves no unhandled rejection when a statement fails before drain is called', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const pipeline = new Pipeline();
      pipeline.send(Promise.reject(new Error('aborted')));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      await expect(pipeline.drain()).rejects.toThrow('aborted');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('resolves when every statement succeeded', async () => {
    const pipeline = new Pipeline();
    pipeline.send(settleLater(5, 1));
    pipeline.send(settleLater(1, 2));
    await expect(pipeline.drain()).resolves.toBeUndefined();
  });
});
