import type { HttpClient } from '../lib/http-client';
import { BENCH_MODEL } from './seed';

export interface LoadOptions {
  readonly concurrency: number;
  readonly warmupSec: number;
  readonly measureSec: number;
  readonly dataCenterIds: readonly string[];
  readonly operatorToken: string;
  /** Called when the measured window opens (after the warm-up). */
  readonly onMeasureStart?: (at: number) => void;
}

export interface LoadResult {
  /** Wall-clock ms (Date.now) of the window's start, and of the moment the last measured request finished. */
  readonly windowStart: number;
  readonly loadStopped: number;
  /** Seconds from the window's start to the last measured answer. */
  readonly elapsedSec: number;
  /** Latencies (ms) of the 201 answers to requests sent in the window. */
  readonly latencies: number[];
  readonly created: number;
  /** Every other answer in the window, by status (0 = transport error). */
  readonly refused: Record<string, number>;
  readonly warmupRequests: number;
  /** 201 answers per second of the window, in order: shows a trend (e.g. slower as streams grow). */
  readonly perSecond: number[];
  readonly sampleRefusal: string | null;
}

/**
 * Closed loop: `concurrency` workers each send an installation of one chip, wait for the answer, send the
 * next. Data centers are taken round-robin from one shared counter, so the requests in flight at any moment
 * are on different stock streams (a 409 only happens when a slow request is lapped).
 */
export async function runCommandLoad(client: HttpClient, options: LoadOptions): Promise<LoadResult> {
  const { dataCenterIds } = options;
  const headers = { authorization: `Bearer ${options.operatorToken}` };
  const body = { modelId: BENCH_MODEL, quantity: 1 };
  const warmupEnd = performance.now() + options.warmupSec * 1000;
  const measureEnd = warmupEnd + options.measureSec * 1000;
  let windowStart = 0;
  let windowStartPerf = 0;
  let counter = 0;
  let warmupRequests = 0;
  let sampleRefusal: string | null = null;
  const latencies: number[] = [];
  const refused: Record<string, number> = {};
  const perSecond: number[] = [];
  let lastAnswer = 0;

  const openWindow = () => {
    windowStartPerf = performance.now();
    windowStart = Date.now();
    options.onMeasureStart?.(windowStart);
  };

  const worker = async () => {
    for (;;) {
      const started = performance.now();
      if (started >= measureEnd) return;
      const measured = started >= warmupEnd;
      if (measured && windowStartPerf === 0) openWindow();
      const dataCenterId = dataCenterIds[counter++ % dataCenterIds.length];
      let status = 0;
      let answer = '';
      try {
        const res = await client.post(`/data-centers/${dataCenterId}/installations`, body, headers);
        status = res.status;
        answer = res.body;
      } catch (error) {
        answer = (error as Error).message;
      }
      const finished = performance.now();
      if (!measured) {
        warmupRequests++;
      } else if (status === 201) {
        latencies.push(finished - started);
        const second = Math.floor((finished - windowStartPerf) / 1000);
        perSecond[second] = (perSecond[second] ?? 0) + 1;
      } else {
        refused[String(status)] = (refused[String(status)] ?? 0) + 1;
        sampleRefusal ??= `${status} ${answer.slice(0, 300)}`;
      }
      if (measured) lastAnswer = Math.max(lastAnswer, finished);
      if (status === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  if (windowStartPerf === 0) openWindow();
  const elapsedSec = Math.max(0.001, (lastAnswer - windowStartPerf) / 1000);
  return {
    windowStart,
    loadStopped: windowStart + (lastAnswer - windowStartPerf),
    elapsedSec,
    latencies,
    created: latencies.length,
    refused,
    warmupRequests,
    // The last bucket is a partial second (the requests finishing after the window): dropped from the trend.
    perSecond: Array.from({ length: Math.floor(options.measureSec) }, (_, i) => perSecond[i] ?? 0),
    sampleRefusal,
  };
}
