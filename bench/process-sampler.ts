import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { round } from './stats';

export interface WatchedProcess {
  name: string;
  pid: number;
  /** A service whose death must stop the run; the broker and store are watched for their cost only. */
  essential: boolean;
  /**
   * Count the process's descendants too (PostgreSQL: a server process per connection). Memory is then the
   * tree's proportional set size (PSS), so the shared buffers every backend maps are counted once.
   */
  tree?: boolean;
}

/** The pid and every descendant of it, from /proc. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // Gone between the listing and the read.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** Pss from /proc/<pid>/smaps_rollup in MB; undefined once the process is gone. */
function pssMB(pid: number): number | undefined {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? (Number(match[1]) * 1024) / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory of a watched process (its tree's PSS when `tree`); undefined once it is gone. */
function residentMB({ pid, tree }: WatchedProcess): number | undefined {
  if (!tree) return statusMB(pid, 'VmRSS');
  if (pssMB(pid) === undefined) return undefined;
  return processTree(pid).reduce((sum, member) => sum + (pssMB(member) ?? 0), 0);
}

/** CPU ticks of a watched process (and its descendants when `tree`). */
function watchedTicks({ pid, tree }: WatchedProcess): number | undefined {
  if (!tree) return processTicks(pid);
  if (processTicks(pid) === undefined) return undefined;
  return processTree(pid).reduce((sum, member) => sum + (processTicks(member) ?? 0), 0);
}

/** CPU seconds used so far, per watched process, plus the machine's busy and total jiffies. */
export interface CpuSnapshot {
  at: number;
  perProcess: Map<string, number>;
  machineBusy: number;
  machineTotal: number;
}

export interface PhaseCpu {
  seconds: number;
  /** Cores kept busy on average: 1.0 is one core for the whole phase. */
  coresByProcess: Record<string, number>;
  machineBusyCores: number;
  /** Busy cores not accounted for by the watched processes: anything else on the machine skews the figures. */
  otherCores: number;
}

/** Clock ticks per second of /proc's CPU times; 100 on every Linux we run on, asked for all the same. */
function clockTicks(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/**
 * VmRSS or VmHWM from /proc/<pid>/status (reported in KiB) in MB of 10^6 bytes, the unit of the 200 MB target;
 * undefined once the process is gone.
 */
function statusMB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? (Number(match[1]) * 1024) / 1e6 : undefined;
}

/** utime + stime of a process, in ticks (fields 14 and 15 of /proc/<pid>/stat, counted after the command). */
function processTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * Busy cores on the whole machine over `ms`, before the run starts. The bench shares two cores with the broker,
 * the store and three services; a test suite running beside it would change every figure.
 */
export async function backgroundBusyCores(ms: number, cores: number): Promise<number> {
  const before = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineTicks();
  const total = after.total - before.total;
  return total > 0 ? round(((after.busy - before.busy) / total) * cores) : 0;
}

function machineTicks(): { busy: number; total: number } {
  const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/**
 * Samples the resident memory of each watched process every 200 ms (the peak is the figure we report) and
 * reads CPU times on demand, so each phase can say how busy each process and the machine were. Notices when an
 * essential process disappears, so a crashed service fails the run at once instead of after a timeout.
 */
export class ProcessSampler {
  private readonly ticks = clockTicks();
  private readonly peaks = new Map<string, number>();
  /** Resident memory since the last `takeWindow()`, for a soak's per-minute figures. */
  private window = new Map<string, { sum: number; count: number; peak: number }>();
  private timer?: NodeJS.Timeout;
  private gone = false;
  private samples = 0;

  constructor(
    private readonly processes: WatchedProcess[],
    private readonly onEssentialExit: (name: string) => void,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The highest VmRSS seen by sampling, and the kernel's own high-water mark (VmHWM) while still alive. */
  memory(): Record<string, { peakRssMB: number; kernelPeakMB?: number }> {
    return Object.fromEntries(
      this.processes.map(({ name, pid, tree }) => {
        const hwm = tree ? undefined : statusMB(pid, 'VmHWM');
        return [
          name,
          {
            peakRssMB: round(this.peaks.get(name) ?? NaN, 1),
            ...(hwm === undefined ? {} : { kernelPeakMB: round(hwm, 1) }),
          },
        ];
      }),
    );
  }

  /** Mean and highest VmRSS per process since the last call (MB); starts the next window. */
  takeWindow(): Record<string, { meanMB: number; peakMB: number }> {
    const taken = Object.fromEntries(
      [...this.window].map(([name, w]) => [
        name,
        { meanMB: round(w.sum / w.count, 1), peakMB: round(w.peak, 1) },
      ]),
    );
    this.window = new Map();
    return taken;
  }

  cpu(): CpuSnapshot {
    const machine = machineTicks();
    const perProcess = new Map<string, number>();
    for (const watched of this.processes) {
      const { name } = watched;
      const ticks = watchedTicks(watched);
      if (ticks !== undefined) perProcess.set(name, ticks / this.ticks);
    }
    const own = process.cpuUsage();
    perProcess.set('bench', (own.user + own.system) / 1e6);
    return { at: Date.now(), perProcess, machineBusy: machine.busy, machineTotal: machine.total };
  }

  static between(before: CpuSnapshot, after: CpuSnapshot, cores: number): PhaseCpu {
    const seconds = (after.at - before.at) / 1000;
    const coresByProcess: Record<string, number> = {};
    for (const [name, used] of after.perProcess) {
      const start = before.perProcess.get(name);
      if (start !== undefined && seconds > 0) coresByProcess[name] = round((used - start) / seconds);
    }
    const totalDelta = after.machineTotal - before.machineTotal;
    const busyShare = totalDelta > 0 ? (after.machineBusy - before.machineBusy) / totalDelta : 0;
    const watched = Object.values(coresByProcess).reduce((sum, used) => sum + used, 0);
    const machineBusyCores = busyShare * cores;
    return {
      seconds: round(seconds, 1),
      coresByProcess,
      machineBusyCores: round(machineBusyCores),
      otherCores: round(Math.max(0, machineBusyCores - watched)),
    };
  }

  private sample(): void {
    this.samples += 1;
    for (const watched of this.processes) {
      const { name, essential } = watched;
      // A tree's PSS costs about 60 ms to read (every process's smaps_rollup): every 10th sample only.
      if (watched.tree && this.samples % 10 !== 1) continue;
      const rss = residentMB(watched);
      if (rss === undefined) {
        if (essential && !this.gone) {
          this.gone = true;
          this.onEssentialExit(name);
        }
        continue;
      }
      this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, rss));
      const w = this.window.get(name) ?? { sum: 0, count: 0, peak: 0 };
      this.window.set(name, { sum: w.sum + rss, count: w.count + 1, peak: Math.max(w.peak, rss) });
    }
  }
}
