import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Debian's kcat (librdkafka), a Kafka client nobody here wrote, for tests that must not depend on kafkajs's
 * encoding: it publishes raw bytes (null, empty, invalid UTF-8, near the broker's size limit) and reads
 * topics back. scripts/setup.sh installs it.
 */

export interface KcatMessage {
  /** null: no key at all. */
  key: string | null;
  /** null: a tombstone; an empty buffer: a zero-length value. */
  value: Buffer | string | null;
  /** A fixed partition; by default the key's partition, as kafkajs and Java producers choose it (murmur2). */
  partition?: number;
}

export interface KcatDelivery {
  partition: number;
  offset: string;
}

/** A message as kcat -J prints it. Binary payloads come out as UTF-8 with replacement characters. */
export interface KcatRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers: Record<string, string>;
}

const brokers = () => process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

function run(args: string[], stdin?: Buffer): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No pipe when there is nothing to send: kcat reading a file may exit before an empty stdin is closed
    // (EPIPE, seen in CI).
    const child = spawn('kcat', args, { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', (error) =>
      reject(new Error(`kcat could not be run (${error.message}); scripts/setup.sh installs it`)),
    );
    child.once('exit', (code) =>
      code === 0
        ? resolve({ stdout: Buffer.concat(out), stderr: err })
        : reject(new Error(`kcat ${args.join(' ')} exited with ${code}:\n${err}`)),
    );
    if (stdin && child.stdin) {
      // A kcat that exits early closes the pipe; its exit code and stderr say why, not the EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(stdin);
    }
  });
}

/**
 * Publishes one message with kcat and returns where the broker put it (from kcat's delivery report). One
 * process per message keeps each report tied to its message.
 */
export async function kcatProduce(topic: string, message: KcatMessage): Promise<KcatDelivery> {
  const args = ['-P', '-b', brokers(), '-t', topic, '-vvv', '-X', 'topic.partitioner=murmur2_random'];
  if (message.partition !== undefined) args.push('-p', String(message.partition));
  const value = message.value === null ? null : Buffer.from(message.value);
  let result;
  if (value === null || value.length === 0) {
    // kcat skips empty files and empty lines, but not a `key<TAB>` line (-K): its value is empty, or NULL (a
    // tombstone) with -Z.
    if (message.key === null || /[\t\n]/.test(message.key)) {
      throw new Error('kcatProduce: an empty or null value needs a key without tabs or newlines');
    }
    args.push('-K', '\\t', ...(value === null ? ['-Z'] : []));
    result = await run(args, Buffer.from(`${message.key}\t\n`));
  } else {
    if (message.key !== null) args.push('-k', message.key);
    // A file is sent whole as one message, whatever bytes it holds (newlines, invalid UTF-8).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcat-'));
    const file = path.join(dir, 'value');
    fs.writeFileSync(file, value);
    try {
      result = await run([...args, file]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const report = /Message delivered to partition (\d+) \(offset (\d+)\)/.exec(result.stderr);
  if (!report) throw new Error(`kcat reported no delivery to ${topic}:\n${result.stderr}`);
  return { partition: Number(report[1]), offset: report[2] };
}

/** Reads a whole topic (or from a time on, in epoch ms) with kcat, up to its current end. */
export async function kcatConsume(topic: string, options: { sinceMs?: number } = {}): Promise<KcatRecord[]> {
  const from = options.sinceMs === undefined ? 'beginning' : `s@${options.sinceMs}`;
  const { stdout } = await run(['-C', '-b', brokers(), '-t', topic, '-o', from, '-e', '-J', '-q']);
  return stdout
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      // kcat prints headers as one flat array: [name, value, name, value, ...].
      const record = JSON.parse(line) as Omit<KcatRecord, 'headers'> & { headers?: string[] };
      const flat = record.headers ?? [];
      const headers: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) headers[flat[i]] = flat[i + 1];
      return { ...record, headers };
    });
}
