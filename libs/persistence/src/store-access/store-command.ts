import { filterShape, FilterShape } from './filter-shape';

/**
 * One query the store was asked, as recorded by the command log (one JSON line each): what it reads or writes
 * and how it finds it, without the data. An update or delete of several statements is one entry per statement,
 * since the store runs each as its own query.
 */
export interface StoreCommand {
  service: string;
  /** The wire command: find, getMore, count, distinct, aggregate, insert, update, delete, findAndModify. */
  command: string;
  collection: string;
  /** Absent for insert and getMore, which carry no filter. */
  filter?: FilterShape;
  sort?: Record<string, unknown>;
  limit?: number;
  /** The command's `comment`; `offline:<what>` marks an operator-run path. */
  comment?: string;
  /** aggregate: the stage names, in order. */
  pipeline?: string[];
  /** distinct: the field. */
  key?: string;
  /** update: updateMany; findAndModify/update: an upsert. */
  multi?: boolean;
  upsert?: boolean;
  /** insert: how many documents. */
  documents?: number;
  /** When it was sent (ISO 8601). */
  at?: string;
}

type Command = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const count = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);
/** The driver sends a sort as a Map (it keeps the keys' order); the log writes it as a document. */
const sortOf = (value: unknown) =>
  value instanceof Map ? (Object.fromEntries(value) as Command) : documentOf(value);
const documentOf = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Command) : undefined;

/** Drops absent fields, so a line holds only what the command had. */
function entry(fields: StoreCommand): StoreCommand {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as StoreCommand;
}

/**
 * The queries of one command as the driver sent it (a command monitoring `commandStarted` event), or none
 * for commands that touch no collection's documents (hello, ping, endSessions, createIndexes...).
 */
export function storeCommandsOf(commandName: string, command: Command, service: string): StoreCommand[] {
  const comment = text(command.comment);
  const base = (collection: unknown) => ({
    service,
    command: commandName,
    collection: String(collection),
    comment,
  });
  switch (commandName) {
    case 'find':
      return [
        entry({
          ...base(command.find),
          filter: filterShape(command.filter),
          sort: sortOf(command.sort),
          limit: count(command.limit),
        }),
      ];
    case 'getMore':
      return [entry(base(command.collection))];
    case 'count':
      return [
        entry({ ...base(command.count), filter: filterShape(command.query), limit: count(command.limit) }),
      ];
    case 'distinct':
      return [
        entry({ ...base(command.distinct), filter: filterShape(command.query), key: text(command.key) }),
      ];
    case 'aggregate':
      return [aggregateEntry(base(command.aggregate), command.pipeline)];
    case 'insert':
      return [
        entry({
          ...base(command.insert),
          documents: Array.isArray(command.documents) ? command.documents.length : undefined,
        }),
      ];
    case 'update':
      return documents(command.updates).map((statement) =>
        entry({
          ...base(command.update),
          filter: filterShape(statement.q),
          multi: statement.multi === true || undefined,
          upsert: statement.upsert === true || undefined,
        }),
      );
    case 'delete':
      return documents(command.deletes).map((statement) =>
        entry({ ...base(command.delete), filter: filterShape(statement.q), limit: count(statement.limit) }),
      );
    case 'findAndModify':
      return [
        entry({
          ...base(command.findAndModify),
          filter: filterShape(command.query),
          sort: sortOf(command.sort),
          upsert: command.upsert === true || undefined,
        }),
      ];
    default:
      return [];
  }
}

/** The documents of an array (an update's statements, a pipeline's stages). */
function documents(list: unknown): Command[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): Command[] => {
    const document = documentOf(item);
    return document ? [document] : [];
  });
}

/** An aggregation is filtered by its leading `$match` only; without one it reads the whole collection. */
function aggregateEntry(base: StoreCommand, pipeline: unknown): StoreCommand {
  const stages = documents(pipeline);
  const first = stages[0];
  const sortStage = stages.find((stage) => '$sort' in stage);
  const limitStage = stages.find((stage) => '$limit' in stage);
  return entry({
    ...base,
    filter: first && '$match' in first ? filterShape(first.$match) : {},
    sort: sortStage ? sortOf(sortStage.$sort) : undefined,
    limit: limitStage ? count(limitStage.$limit) : undefined,
    pipeline: stages.map((stage) => Object.keys(stage)[0] ?? '?'),
  });
}
