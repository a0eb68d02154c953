import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time per process group from /proc (Linux), so a run can say where the cores went: the server, the
 * PostgreSQL processes, the Kafka broker, this load generator, and everything else on the machine (other
 * people's tests on a shared box). Elsewhere every reading is null and the breakdown is skipped.
 */
const TICKS_PER_SEC = 100; // USER_HZ: 100 on every mainstream Linux build

export interface CpuGroups {
  /** Root pids whose own CPU counts (e.g. the server process, the Kafka JVM). */
  readonly [group: string]: { readonly pids: () => number[] };
}

export interface CpuSample {
  readonly at: number;
  readonly byGroup: Record<string, number>;
  /** Busy ticks of the whole machine (all cores), from /proc/stat. */
  readonly machineBusy: number;
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The direct children of a process (all of them, by scanning /proc). */
export function childrenOf(pid: number): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((candidate) => parentOf(candidate) === pid);
  } catch {
    return [];
  }
}

function machineBusyTicks(): number {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
    return user + nice + system + irq + softirq + steal;
  } catch {
    return 0;
  }
}

export function cpuAvailable(): boolean {
  try {
    readFileSync('/proc/stat');
    return true;
  } catch {
    return false;
  }
}

export function sampleCpu(groups: CpuGroups): CpuSample {
  const byGroup: Record<string, number> = {};
  for (const [name, group] of Object.entries(groups)) byGroup[name] = group.pids().reduce((sum, pid) => sum + processTicks(pid), 0);
  return { at: Date.now(), byGroup, machineBusy: machineBusyTicks() };
}

/** Percent of one core each group used between two samples, plus "others" = the machine minus the groups. */
export function cpuPercent(from: CpuSample, to: CpuSample): Record<string, number> {
  const seconds = (to.at - from.at) / 1000;
  const result: Record<string, number> = {};
  let ours = 0;
  for (const name of Object.keys(to.byGroup)) {
    const ticks = Math.max(0, to.byGroup[name] - (from.byGroup[name] ?? 0));
    ours += ticks;
    result[name] = Math.round((ticks / TICKS_PER_SEC / seconds) * 100);
  }
  const machine = Math.max(0, to.machineBusy - from.machineBusy);
  result['otherProcesses'] = Math.max(0, Math.round(((machine - ours) / TICKS_PER_SEC / seconds) * 100));
  result['machineTotal'] = Math.round((machine / TICKS_PER_SEC / seconds) * 100);
  return result;
}
