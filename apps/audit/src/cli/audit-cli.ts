/**
 * The audit trail from the command line: `npm run audit -- <command>` (see USAGE). Reads MONGODB_URI like the
 * service; exits 1 when verification finds a broken link or a backup is not intact, 2 on a usage error or
 * a refusal to write over something.
 */
import 'reflect-metadata';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { environmentModule } from '@oversight/service-config';
import { AuditQueries, DecisionFilter, describeDifference, ExportFormat } from '@oversight/audit-trail';
import { AuditStoreModule } from '../audit-store.module';
import { AuditEnvironment } from '../config/audit-environment';
import { DecisionIndexRebuild, IndexRebuildRefused, rebuiltIndexName } from '../decision-index-rebuild';
import { BackupInvalid, BackupRefused, StoreBackup } from '../store-backup';

const USAGE = `usage:
  audit verify                        recompute every hash chain; name the first broken link
  audit timeline <decisionId>         one decision's events in order, as NDJSON
  audit export [--format ndjson|csv] [--function F] [--route auto|review|block] [--tier T] [--from ISO] [--to ISO]
  audit rebuild-index [--into C] [--replace]
                                      rebuild the decision lists from the trail into a new collection C
                                      (default audit_index_rebuilt_<time>); --into audit_index --replace
                                      replaces the live one: stop the audit service first
  audit compare-index <C> [--against audit_index]
                                      compare every list of C with the live index; exit 1 when one differs
  audit backup --to <dir>             every collection of the store to <dir> (new or empty): one NDJSON file
                                      of canonical Extended JSON per collection and manifest.json
  audit restore --from <dir> [--allow-non-empty]
                                      check the backup against its manifest, then restore it into the
                                      database MONGODB_URI names, which must be empty; exit 1 when the
                                      backup is not intact (nothing restored)`;

@Module({
  imports: [environmentModule(AuditEnvironment), AuditStoreModule.forRoot('audit-cli')],
  providers: [DecisionIndexRebuild, StoreBackup],
})
class AuditCliModule {}

class UsageError extends Error {}

const ROUTES = ['auto', 'review', 'block'];
const TIERS = ['low', 'medium', 'high', 'critical'];

/** A misspelt filter would otherwise match nothing and look like an empty trail. */
function oneOf(name: string, value: string | undefined, allowed: string[]) {
  if (value !== undefined && !allowed.includes(value))
    throw new UsageError(`--${name} ${value} is not one of ${allowed.join(', ')}`);
}

function dateOption(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--${name} ${value} is not a date (use ISO 8601, e.g. 2026-11-25T00:00:00Z)`);
  return date;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Services {
  queries(): Promise<AuditQueries>;
  rebuild(): Promise<DecisionIndexRebuild>;
  backup(): Promise<StoreBackup>;
}

async function run(argv: string[], services: Services): Promise<number> {
  const queries = () => services.queries();
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'ndjson' },
      function: { type: 'string' },
      route: { type: 'string' },
      tier: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      into: { type: 'string' },
      replace: { type: 'boolean', default: false },
      against: { type: 'string' },
      'allow-non-empty': { type: 'boolean', default: false },
    },
  });
  const [command, argument] = positionals;
  switch (command) {
    case 'verify': {
      const report = await (await queries()).verify();
      if (report.broken) {
        const { chainKey, seq, eventId, problem } = report.broken;
        console.error(
          `BROKEN: chain ${chainKey}, record ${seq}${eventId ? ` (event ${eventId})` : ''}: ${problem}`,
        );
        return 1;
      }
      console.log(`ok: ${report.chains} chains, ${report.records} records verified`);
      return 0;
    }
    case 'timeline':
      if (!argument) throw new UsageError('timeline needs a decisionId');
      await pipeline((await queries()).exportTimeline(argument), process.stdout);
      return 0;
    case 'export': {
      if (values.format !== 'ndjson' && values.format !== 'csv')
        throw new UsageError('--format is ndjson or csv');
      oneOf('route', values.route, ROUTES);
      oneOf('tier', values.tier, TIERS);
      const filter: DecisionFilter = {
        businessFunction: values.function,
        route: values.route,
        tier: values.tier,
        from: dateOption('from', values.from),
        to: dateOption('to', values.to),
      };
      await pipeline(
        (await queries()).exportDecisions(filter, values.format as ExportFormat),
        process.stdout,
      );
      return 0;
    }
    case 'rebuild-index': {
      const rebuild = await services.rebuild();
      const into = values.into ?? rebuiltIndexName();
      if (into === rebuild.liveCollection && values.replace) {
        console.error(
          `audit: replacing the live index ${into}: the audit service must be stopped until this ends, ` +
            'and the lists the gateway reads are incomplete meanwhile',
        );
      }
      const report = await rebuild.rebuild(into, { replace: values.replace });
      console.log(
        `rebuilt ${report.into} from the trail: ${report.events} events, ${report.entries} entries in ` +
          `${report.lists} lists, in ${seconds(report.readMs + report.writeMs)} ` +
          `(reading the trail ${seconds(report.readMs)}, writing the lists ${seconds(report.writeMs)})`,
      );
      if (into !== rebuild.liveCollection) {
        console.log(`compare it with the live index: npm run audit -- compare-index ${into}`);
      }
      return 0;
    }
    case 'compare-index': {
      if (!argument) throw new UsageError('compare-index needs the collection to compare');
      const rebuild = await services.rebuild();
      const against = values.against ?? rebuild.liveCollection;
      const { lists, entries, repeats, differences } = await rebuild.compare(argument, against);
      const sizes =
        `${argument}: ${entries.rebuilt} entries, ${repeats.rebuilt} repeated; ` +
        `${against}: ${entries.live} entries, ${repeats.live} repeated`;
      if (!differences.length) {
        console.log(`equal: the ${lists} lists of ${argument} list what ${against} lists (${sizes})`);
        return 0;
      }
      console.error(
        `DIFFERENT: ${differences.length} of ${lists} lists of ${argument} differ from ${against} (${sizes}); ` +
          `the first difference of each (live: ${against}, rebuilt: ${argument}):`,
      );
      for (const difference of differences) console.error(`  ${describeDifference(difference)}`);
      return 1;
    }
    case 'backup': {
      if (!values.to) throw new UsageError('backup needs --to <dir>');
      const report = await (await services.backup()).backup(values.to);
      console.log(
        `backed up ${report.collections} collections, ${report.documents} documents ` +
          `(${(report.bytes / 1e6).toFixed(1)} MB) to ${report.to} in ${seconds(report.ms)}`,
      );
      return 0;
    }
    case 'restore': {
      if (!values.from) throw new UsageError('restore needs --from <dir>');
      const report = await (
        await services.backup()
      ).restore(values.from, {
        allowNonEmpty: values['allow-non-empty'],
      });
      console.log(
        `restored ${report.collections} collections, ${report.documents} documents from ${report.from} into ` +
          `${report.database} in ${seconds(report.checkMs + report.writeMs)} (checking the files ` +
          `${seconds(report.checkMs)}, writing ${seconds(report.writeMs)}); check it: npm run audit -- verify`,
      );
      return 0;
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command given');
  }
}

async function main(): Promise<number> {
  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>> | undefined;
  try {
    const started = async () =>
      (app ??= await NestFactory.createApplicationContext(AuditCliModule, { logger: ['error'] }));
    return await run(process.argv.slice(2), {
      queries: async () => (await started()).get(AuditQueries),
      rebuild: async () => (await started()).get(DecisionIndexRebuild),
      backup: async () => (await started()).get(StoreBackup),
    });
  } catch (error) {
    if (error instanceof BackupInvalid) {
      console.error(
        `audit: ${error.from} is not an intact backup; ` +
          (error.nothingWritten ? 'nothing was restored:' : 'the restore stopped there:'),
      );
      for (const problem of error.problems) console.error(`  ${problem}`);
      return 1;
    }
    if (error instanceof IndexRebuildRefused || error instanceof BackupRefused) {
      console.error(`audit: ${error.message}`);
      return 2;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`audit: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  } finally {
    await app?.close();
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// exitCode rather than exit(): let a piped stdout drain before the process ends.
main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`audit: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  },
);
