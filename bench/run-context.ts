import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { LocalInfra } from '@oversight/testing';
import { MachineInfo } from './report';
import { round } from './stats';

export const ROOT = path.resolve(__dirname, '..');
/** Where results go; the test command's smoke runs point this at tmp/ so that they leave the tree clean. */
export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR
  ? path.resolve(process.env.BENCH_RESULTS_DIR)
  : path.join(__dirname, 'results');

/** Generous: `up` fetches jars or builds FerretDB only on a fresh machine, and the bench expects them ready. */
const INFRA_UP_TIMEOUT_MS = 180_000;

export const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

export function machineInfo(infra: LocalInfra): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    kafka: infra.config.kafka.version,
    kafkaHeap: infra.config.kafka.heap,
  };
}

/** Which code was measured: the commit, and the paths under apps/ and libs/ that differ from it. */
export function codeInfo(): { commit: string; uncommittedChanges: string[] } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      uncommittedChanges: git('status', '--porcelain', '--', 'apps', 'libs')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(3)),
    };
  } catch {
    return { commit: 'unknown', uncommittedChanges: [] };
  }
}

/**
 * The broker and store the run uses: what KAFKA_BROKERS and MONGODB_URI name with USE_EXTERNAL_INFRA=1,
 * otherwise the local infrastructure, started if it is down; its connection is put into the environment.
 */
export async function useInfra(): Promise<void> {
  if (process.env.USE_EXTERNAL_INFRA === '1') {
    if (!process.env.KAFKA_BROKERS || !process.env.MONGODB_URI) {
      throw new Error('USE_EXTERNAL_INFRA=1 needs KAFKA_BROKERS and MONGODB_URI to be set');
    }
    return;
  }
  const infra = new LocalInfra();
  // A store that accepts connections but never answers would hold `up` (and the shared infra lock) forever;
  // exiting frees the lock for everyone else.
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the local Kafka and FerretDB did not answer within ${INFRA_UP_TIMEOUT_MS / 1000} s; ` +
              'check `npm run infra -- status` and .infra/logs/',
          ),
        ),
      INFRA_UP_TIMEOUT_MS,
    );
  });
  await Promise.race([infra.up((line) => say(line)), limit]).finally(() => clearTimeout(timer));
  Object.assign(process.env, infra.connection);
}
