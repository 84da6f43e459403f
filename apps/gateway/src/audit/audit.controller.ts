import { Controller, Get, HttpCode, Logger, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import { AuditQueries, BrokenLink, ExportFormat } from '@oversight/audit-trail';
import { Problem, ROUTES, TIERS } from '@oversight/contracts';
import { ValidationFailed } from '@oversight/http';
import { decisionExportQuery, EXPORT_FORMATS, QueryParams } from '../decisions/decision-query';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
};

/** Express's response has it; Nest's view of it for a StreamableFile does not say so. */
type ContentTypeSetter = { setHeader(name: string, value: string): void };

export interface VerificationAnswer {
  /** When the verification started: records stored after it may or may not be counted. */
  verifiedAt: string;
  chains: number;
  records: number;
  intact: boolean;
  /** The first broken link, when there is one. */
  broken?: BrokenLink;
}

/** `decisions-2026-11-27T03-56-00Z.csv`: sortable, and no colons, which some file systems refuse. */
export function exportFileName(format: ExportFormat, at: Date): string {
  return `decisions-${at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-')}.${format}`;
}

/** The audit view: exports of the decisions and verification of the hash chains, for auditors. */
@ApiTags('audit')
@Controller('v1/audit')
@Roles('auditor')
export class AuditController {
  private readonly logger = new Logger('audit');

  constructor(private readonly audit: AuditQueries) {}

  @Get('export')
  @ApiOperation({
    summary: 'Every matching decision as it stands, streamed as NDJSON or CSV (a download)',
    description:
      'Newest proposal first, with the columns of DECISION_COLUMNS (the CSV header). Filters as GET /v1/decisions, ' +
      'without a limit. A failure after the first bytes cuts the connection rather than ending the file, so a ' +
      'partial export never looks complete.',
  })
  @ApiQuery({ name: 'format', required: false, enum: EXPORT_FORMATS, description: 'default ndjson' })
  @ApiQuery({ name: 'function', required: false, description: 'a business function' })
  @ApiQuery({ name: 'route', required: false, enum: ROUTES })
  @ApiQuery({ name: 'tier', required: false, enum: TIERS })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601, proposed at or after' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601, proposed before' })
  @ApiProduces(...Object.values(CONTENT_TYPES))
  @ApiResponse({ status: 200, description: 'The file, as an attachment' })
  @ApiResponse({ status: 400, description: 'A bad parameter: problems names each' })
  exportDecisions(@Query() query: QueryParams, @CurrentIdentity() caller: Identity): StreamableFile {
    const problems: Problem[] = [];
    const { filter, format } = decisionExportQuery(query, problems);
    if (problems.length) throw new ValidationFailed('the query is not valid', problems);
    this.logger.log({ message: 'decision export started', by: caller.subject, format, filter });
    const file = new StreamableFile(this.audit.exportDecisions(filter, format), {
      type: CONTENT_TYPES[format],
      disposition: `attachment; filename="${exportFileName(format, new Date())}"`,
    });
    return file.setErrorHandler((error, response) => {
      this.logger.error({ message: 'decision export failed', by: caller.subject, error: error.message });
      if (response.destroyed) return;
      // Ending the response would make a truncated file look complete: cut it instead.
      if (response.headersSent) return response.destroy?.(error);
      // Nothing sent yet: the store failed (Nest's default here is a bare 400, which would blame the caller).
      // The store's own message may name hosts: it goes to the log only.
      (response as unknown as ContentTypeSetter).setHeader('Content-Type', 'application/json');
      response.statusCode = 503;
      response.send(
        JSON.stringify({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'the export failed: the audit store did not answer; try again',
        }),
      );
    });
  }

  @Post('verifications')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Recompute every hash chain of the audit trail and name the first broken link, if any',
    description: 'Reads the whole trail: it takes a while on a large one.',
  })
  @ApiResponse({
    status: 200,
    description: '{ verifiedAt, chains, records, intact, broken? }',
    schema: {
      type: 'object',
      required: ['verifiedAt', 'chains', 'records', 'intact'],
      properties: {
        verifiedAt: { type: 'string', format: 'date-time' },
        chains: { type: 'integer', minimum: 0 },
        records: { type: 'integer', minimum: 0 },
        intact: { type: 'boolean' },
        broken: {
          type: 'object',
          required: ['chainKey', 'seq', 'problem'],
          properties: {
            chainKey: { type: 'string' },
            seq: { type: 'integer' },
            eventId: { type: 'string' },
            problem: { type: 'string' },
          },
        },
      },
    },
  })
  async verify(@CurrentIdentity() caller: Identity): Promise<VerificationAnswer> {
    const verifiedAt = new Date().toISOString();
    const report = await this.audit.verify();
    const answer: VerificationAnswer = {
      verifiedAt,
      chains: report.chains,
      records: report.records,
      intact: !report.broken,
      ...(report.broken ? { broken: report.broken } : {}),
    };
    // A broken chain is evidence of tampering: it belongs in the logs as well as in the answer.
    if (report.broken) this.logger.warn({ message: 'audit chain broken', by: caller.subject, ...answer });
    else this.logger.log({ message: 'audit trail verified', by: caller.subject, ...answer });
    return answer;
  }
}
