import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** Fails with an actionable message when a tool the local infra needs is not installed. */
export function requireCommand(command: string, versionArgs: string[], purpose: string): void {
  const probe = spawnSync(command, versionArgs, { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `\`${command}\` was not found on PATH; it is needed to ${purpose}. Install it and run again.`,
    );
  }
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function requireFreePort(port: number, envName: string, what: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new Error(
      `port ${port} on 127.0.0.1 is already taken by another process, so ${what} cannot start there. ` +
        `Stop that process or choose another port with ${envName}=<port>.`,
    );
  }
}

/** Runs a set-up command to completion, sending its output to a log file; fails with the log's tail. */
export function runToCompletion(
  command: string,
  args: string[],
  options: { cwd?: string; logFile: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number },
) {
  return new Promise<void>((resolve, reject) => {
    const log = fs.openSync(options.logFile, 'a');
    const child = spawn(command, args, {
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      env: options.env ?? process.env,
      stdio: ['ignore', log, log],
    });
    child.once('error', (error) => {
      fs.closeSync(log);
      reject(error);
    });
    child.once('exit', (code) => {
      fs.closeSync(log);
      if (code === 0) return resolve();
      reject(
        new Error(
          `\`${command} ${args.join(' ')}\` failed with exit code ${code}:\n${tail(options.logFile, 30)}`,
        ),
      );
    });
  });
}

export function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
