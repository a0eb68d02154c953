import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { ApiClient, type ServiceOptions } from '../lib/api-client';
import { ServerError } from '../lib/errors';

interface Progress {
  readonly generation: number;
  readonly state: 'building' | 'active' | 'retired';
  readonly done: number;
  readonly total: number;
  readonly rate: number;
  readonly etaSeconds: number | null;
}

export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .description("Rebuild a projection blue/green through the running service's admin API, with a progress bar")
    .argument('<projection>', 'chip-mix, findings, licence-balances or rentals')
    .action(async (name: string, options: ServiceOptions) => {
      const api = new ApiClient(options, 'admin');
      const path = `/admin/projections/${encodeURIComponent(name)}/rebuild`;
      let progress = await api.post<Progress>(path);
      const generation = progress.generation;
      const bar = new SingleBar({ format: `${name} [{bar}] {percentage}% | {value}/{total} events | {rate} ev/s | ETA {eta}s`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2_000 }, Presets.shades_classic);
      bar.start(Math.max(progress.total, 1), progress.done, { rate: 0 });
      try {
        while (progress.state === 'building') {
          await new Promise((resolve) => setTimeout(resolve, 500));
          progress = await api.get<Progress>(path);
          if (progress.generation !== generation) throw new ServerError(`another rebuild (generation ${progress.generation}) replaced generation ${generation}`, 409);
          bar.setTotal(Math.max(progress.total, 1));
          bar.update(progress.done, { rate: Math.round(progress.rate).toLocaleString('en') });
        }
      } finally {
        bar.stop();
      }
      if (options.json) console.log(JSON.stringify(progress));
      else console.log(`${name}: generation ${generation} is ${progress.state}`);
      if (progress.state !== 'active') process.exitCode = 1;
    });
}
