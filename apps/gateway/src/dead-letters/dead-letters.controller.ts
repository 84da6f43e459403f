import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  NotFoundException,
  Param,
  Post,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Kafka } from 'kafkajs';
import { CurrentIdentity, Identity, Roles } from '@oversight/auth';
import {
  decodeEvent,
  EventTopic,
  Problem,
  Topic,
  TOPIC_EVENT_TYPES,
  toProblems,
  validateEventOn,
} from '@oversight/contracts';
import { EventPublisher } from '@oversight/messaging';
import { KAFKA } from '@oversight/messaging-nest';
import { ValidationFailed } from '@oversight/http';
import { DeadLetterItem, toDeadLetterItem } from './dead-letter-view';
import { PartitionOffsets, partitionOffsets, readWindows, TopicReadTimeout } from './topic-window-reader';

const MAX_PAGE = 100;
const DEFAULT_PAGE = 20;

export interface DeadLetterPage {
  topic: string;
  partitions: { partition: number; low: string; high: string }[];
  items: DeadLetterItem[];
  /** Where to continue per partition (`?partition=P&from=F`), for the partitions that have more. */
  next: { partition: number; from: string }[];
}

/** Browsing and replaying dead letters, for SREs and admins. */
@ApiTags('dead letters')
@Controller('v1/dead-letters')
@Roles('sre', 'admin')
export class DeadLettersController {
  private readonly logger = new Logger('dead-letters');

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Browse dead letters, oldest first, a page per partition' })
  @ApiQuery({ name: 'partition', required: false, description: 'one partition only' })
  @ApiQuery({ name: 'from', required: false, description: 'first offset (with partition)' })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `per partition, 1-${MAX_PAGE} (default ${DEFAULT_PAGE})`,
  })
  async browse(
    @Query('partition') partitionText?: string,
    @Query('from') fromText?: string,
    @Query('limit') limitText?: string,
  ): Promise<DeadLetterPage> {
    const problems: Problem[] = [];
    const partition = integer('partition', partitionText, 0, 1_000, problems);
    const from = integer('from', fromText, 0, Number.MAX_SAFE_INTEGER, problems);
    const limit = integer('limit', limitText, 1, MAX_PAGE, problems) ?? DEFAULT_PAGE;
    if (from !== undefined && partition === undefined) {
      problems.push({ field: 'from', reason: 'from needs a partition (offsets are per partition)' });
    }
    if (problems.length) throw new ValidationFailed('the query is not valid', problems);

    const offsets = await this.offsets();
    if (partition !== undefined && !offsets.some((p) => p.partition === partition)) {
      throw new ValidationFailed('the query is not valid', [
        { field: 'partition', reason: `${Topic.DeadLetter} has partitions 0-${offsets.length - 1}` },
      ]);
    }
    const chosen = offsets.filter((p) => partition === undefined || p.partition === partition);
    const windows = chosen.map((p) => {
      const start = from === undefined ? p.low : clamp(BigInt(from), p.low, p.high);
      return { partition: p.partition, from: start, to: clamp(start + BigInt(limit), p.low, p.high) };
    });
    const read = await this.read(windows, offsets);
    return {
      topic: Topic.DeadLetter,
      partitions: offsets.map((p) => ({
        partition: p.partition,
        low: p.low.toString(),
        high: p.high.toString(),
      })),
      items: windows.flatMap((w) =>
        (read.get(w.partition) ?? []).map((m) => toDeadLetterItem(w.partition, m)),
      ),
      next: windows
        .filter((w) => w.to < (offsets.find((p) => p.partition === w.partition)?.high ?? 0n))
        .map((w) => ({ partition: w.partition, from: w.to.toString() })),
    };
  }

  @Post(':partition/:offset/replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Publish a dead letter again on its original topic, as it was or corrected',
    description:
      'An empty body replays the original message; a body is the corrected event. Either is validated first.',
  })
  async replay(
    @Param('partition') partitionText: string,
    @Param('offset') offsetText: string,
    @Body() body: unknown,
    @CurrentIdentity() caller: Identity,
  ) {
    const problems: Problem[] = [];
    const partition = integer('partition', partitionText, 0, 1_000, problems);
    const offset = integer('offset', offsetText, 0, Number.MAX_SAFE_INTEGER, problems);
    if (problems.length || partition === undefined || offset === undefined) {
      throw new ValidationFailed('the dead letter address is not valid', problems);
    }
    const offsets = await this.offsets();
    const at = offsets.find((p) => p.partition === partition);
    const wanted = BigInt(offset);
    if (!at || wanted < at.low || wanted >= at.high) {
      throw new NotFoundException(`no dead letter at partition ${partition}, offset ${offset}`);
    }
    const [message] =
      (await this.read([{ partition, from: wanted, to: wanted + 1n }], offsets)).get(partition) ?? [];
    if (!message) throw new NotFoundException(`no dead letter at partition ${partition}, offset ${offset}`);
    const letter = toDeadLetterItem(partition, message);

    const topic = letter.source.topic;
    if (!isEventTopic(topic)) {
      throw new ValidationFailed('this dead letter cannot be replayed', [
        { field: 'source.topic', reason: `${topic || '(none)'} is not a platform event topic` },
      ]);
    }
    const corrected =
      body !== undefined && body !== null && !(typeof body === 'object' && Object.keys(body).length === 0);
    const check = corrected ? validateEventOn(topic, body) : decodeEvent(topic, message.value);
    if (!check.ok) {
      throw new ValidationFailed(
        corrected
          ? `the corrected event is not valid for ${topic}`
          : `the original message is still not valid for ${topic}; send a corrected event`,
        toProblems(check.errors),
      );
    }
    await this.publisher.publish(topic, check.value);
    this.logger.log({
      message: 'dead letter replayed',
      by: caller.subject,
      callerKind: caller.kind,
      deadLetter: { partition, offset: String(offset) },
      topic,
      eventId: check.value.eventId,
      decisionId: check.value.decisionId,
      corrected,
    });
    return { topic, eventId: check.value.eventId, decisionId: check.value.decisionId, corrected };
  }

  private async offsets(): Promise<PartitionOffsets[]> {
    return partitionOffsets(this.kafka, Topic.DeadLetter);
  }

  private async read(
    windows: { partition: number; from: bigint; to: bigint }[],
    offsets: PartitionOffsets[],
  ) {
    try {
      return await readWindows(
        this.kafka,
        Topic.DeadLetter,
        windows,
        offsets.map((p) => p.partition),
      );
    } catch (error) {
      if (error instanceof TopicReadTimeout) throw new ServiceUnavailableException(error.message);
      throw error;
    }
  }
}

function isEventTopic(topic: string): topic is EventTopic {
  return Object.prototype.hasOwnProperty.call(TOPIC_EVENT_TYPES, topic);
}

function clamp(value: bigint, low: bigint, high: bigint): bigint {
  return value < low ? low : value > high ? high : value;
}

/** A whole number from the URL within bounds, or a problem; undefined when absent. */
export function integer(
  field: string,
  text: string | undefined,
  min: number,
  max: number,
  problems: Problem[],
): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push({ field, reason: `must be a whole number from ${min} to ${max}` });
    return undefined;
  }
  return value;
}
