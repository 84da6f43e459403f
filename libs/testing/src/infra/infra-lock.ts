import fs from 'node:fs';
import { sleep } from './daemon';

/**
 * Serialises `up`, `down` and `prepare` across processes (two jest runs' global setups, a developer's shell and
 * a test run), so two brokers are never started on one data dir. A lock whose holder died is taken over.
 */
export async function withInfraLock<T>(
  lockFile: string,
  work: () => Promise<T>,
  timeoutMs = 10 * 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive(lockFile)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another process has held ${lockFile} for ${timeoutMs} ms`);
      await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function holderAlive(lockFile: string): boolean {
  try {
    const pid = Number(fs.readFileSync(lockFile, 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but not ours to signal. A missing or half-written file: treat as dead and retry.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
