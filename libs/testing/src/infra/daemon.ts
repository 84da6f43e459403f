import { spawn, SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import { tail } from './host-tools';

/**
 * A long-running local server started in the background, tracked by a pid file so that `infra down` from
 * another shell, or a later test run, can find it.
 */
export class Daemon {
  /**
   * @param commandMarker text the process's command line must contain for a recorded pid to count as ours, so
   *   a stale pid file (after a reboot, or a reused pid) is never trusted or signalled.
   * @param stopSignal the signal that asks the server to stop (PostgreSQL's SIGTERM waits for every client to
   *   disconnect; its SIGINT is the fast shutdown).
   */
  constructor(
    readonly name: string,
    private readonly pidFile: string,
    readonly logFile: string,
    private readonly commandMarker: string,
    private readonly stopSignal: NodeJS.Signals = 'SIGTERM',
  ) {}

  pid(): number | undefined {
    let pid: number;
    try {
      pid = Number(fs.readFileSync(this.pidFile, 'utf8').trim());
    } catch {
      return undefined;
    }
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
    return commandLine(pid)?.includes(this.commandMarker) === false ? undefined : pid;
  }

  isRunning(): boolean {
    return this.pid() !== undefined;
  }

  /** `as` runs the process under another user (uid, gid) and in another folder, e.g. PostgreSQL when root. */
  start(
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
    as: Pick<SpawnOptions, 'uid' | 'gid' | 'cwd'> = {},
  ): number {
    const log = fs.openSync(this.logFile, 'a');
    const child = spawn(command, args, { ...as, detached: true, env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    // Without a listener a spawn failure (ENOENT) would be an uncaught exception; pid is then undefined.
    child.once('error', () => undefined);
    if (child.pid === undefined) throw new Error(`could not start ${this.name} (${command})`);
    child.unref();
    fs.writeFileSync(this.pidFile, String(child.pid));
    return child.pid;
  }

  /** Asks politely (the stop signal), then insists (SIGKILL) after the grace period. */
  async stop(graceMs = 20_000): Promise<boolean> {
    const pid = this.pid();
    if (pid === undefined) {
      fs.rmSync(this.pidFile, { force: true });
      return false;
    }
    signal(pid, this.stopSignal);
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && alive(pid)) await sleep(100);
    if (alive(pid)) signal(pid, 'SIGKILL');
    while (alive(pid)) await sleep(50);
    fs.rmSync(this.pidFile, { force: true });
    return true;
  }

  /** Fails with the log's tail if the process has died, so a crash at start is reported, not waited out. */
  assertAlive(): void {
    if (!this.isRunning()) {
      throw new Error(
        `${this.name} exited during start-up. Last lines of ${this.logFile}:\n${tail(this.logFile, 40)}`,
      );
    }
  }
}

/** The process's command line, or undefined where /proc is not available (then the pid alone is trusted). */
function commandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it resolves true or the deadline passes; `check` may throw to mean "not yet". */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  onPoll?: () => void,
) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    onPoll?.();
    try {
      if (await check()) return;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(
    `${what} did not become ready within ${timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ''}`,
  );
}
