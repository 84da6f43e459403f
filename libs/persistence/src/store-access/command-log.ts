import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MongoClient } from 'mongodb';
import { StoreCommand, storeCommandsOf } from './store-command';

/** `<dir>/<service>-<pid>.ndjson`: one file per process, so concurrent services never interleave lines. */
export function commandLogFile(dir: string, service: string, pid = process.pid): string {
  return path.join(path.resolve(dir), `${service.replace(/[^A-Za-z0-9._-]/g, '_')}-${pid}.ndjson`);
}

/**
 * Appends one JSON line per query the client sends (a StoreCommand) to the service's file in `dir`. The
 * client must have been created with `monitorCommands: true`. Writes are synchronous so a process killed
 * with SIGKILL (as the integration ring does) has lost no line it sent.
 */
export function recordStoreCommands(client: MongoClient, service: string, dir: string): void {
  const file = commandLogFile(dir, service);
  mkdirSync(path.dirname(file), { recursive: true });
  let failed = false;
  client.on('commandStarted', (event) => {
    const commands = storeCommandsOf(event.commandName, event.command, service);
    if (commands.length === 0) return;
    const at = new Date().toISOString();
    try {
      appendFileSync(file, commands.map((command) => `${JSON.stringify({ ...command, at })}\n`).join(''));
    } catch (error) {
      // The log is a diagnostic: it must never fail the query it describes. Said once, not per command.
      if (!failed) console.error(`store command log ${file}: ${(error as Error).message}`);
      failed = true;
    }
  });
}

/**
 * Every query recorded in `dir` (each `<service>-<pid>.ndjson`). A last line without its newline is a write cut
 * short by a kill and is left out; any other line that does not parse is an error.
 */
export function readCommandLog(dir: string): StoreCommand[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.ndjson'))
    .sort()
    .flatMap((file) => {
      const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
      // After the last newline: '' when the file ends cleanly, a cut write otherwise.
      lines.pop();
      return lines.map((line, index) => {
        try {
          return JSON.parse(line) as StoreCommand;
        } catch {
          throw new Error(
            `${path.join(dir, file)}:${index + 1} is not a store command: ${line.slice(0, 200)}`,
          );
        }
      });
    });
}
