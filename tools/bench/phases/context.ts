import type { BenchFigures } from '../figures';

/** What every phase gets: the run's settings and where the shared PostgreSQL and Kafka are. */
export interface BenchContext {
  readonly quick: boolean;
  readonly cores: number;
  /** Unique per run: names databases, topics, ids and consumer groups, so runs on a shared broker never mix. */
  readonly runTag: string;
  /** The PostgreSQL server (its maintenance database); phases create their own databases on it. */
  readonly adminDatabaseUrl: string;
  readonly kafkaBrokers: string[];
  readonly settings: BenchSettings;
  readonly log: (line: string) => void;
  /** Registers cleanup to run at the end of the run, even after a failure or Ctrl-C (last registered, first run). */
  readonly onCleanup: (cleanup: () => Promise<void>) => void;
  /** CPU accounting groups the phases can add to (e.g. the server process). */
  readonly processes: { kafka: number | null; postgres: number | null };
}

export interface BenchSettings {
  readonly concurrency: number;
  readonly dataCenters: number;
  readonly warmupSec: number;
  readonly measureSec: number;
  readonly ceilingSec: number;
  /** Write a V8 tick profile of the service (`node --prof`) to this directory. */
  readonly profileDir: string | null;
}

/** A named step of the run, adding its figures. */
export interface BenchPhase {
  readonly name: string;
  run(context: BenchContext): Promise<Partial<BenchFigures>>;
}
