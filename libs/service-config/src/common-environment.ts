import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';

/**
 * Settings every service reads. Defaults run against the local infra that `npm run infra -- up` starts.
 * Fields carry explicit types: implicit conversion reads them from decorator metadata, which transpile-only
 * builds cannot infer from an initializer.
 */
export class CommonEnvironment {
  /** Comma-separated host:port list. */
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS: string = '127.0.0.1:9092';

  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI: string = 'mongodb://127.0.0.1:27017/oversight';

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: string = 'log';

  /** JSON lines for log shippers; plain text is easier to read in a terminal. */
  @IsIn(['json', 'text'])
  LOG_FORMAT: string = 'json';

  @IsString()
  NODE_ENV: string = 'development';

  /**
   * A directory: when set, every query the service sends to the store is appended there as a JSON line
   * (libs/persistence, recordStoreCommands) for the store access check. Empty (the default) records nothing.
   */
  @IsString()
  STORE_COMMAND_LOG: string = '';

  /**
   * Most bytes one fetch brings back per partition, and in all: with the batch sizes, what bounds a
   * consumer's memory under a backlog (kafkajs's defaults, 1 MiB and 10 MiB, took services past 200 MB).
   */
  @IsInt()
  @Min(16 * 1024)
  @Max(64 * 1024 * 1024)
  KAFKA_FETCH_PARTITION_MAX_BYTES: number = 256 * 1024;

  @IsInt()
  @Min(64 * 1024)
  @Max(256 * 1024 * 1024)
  KAFKA_FETCH_MAX_BYTES: number = 2 * 1024 * 1024;

  /** Where the operations listener (`/metrics`, `/health/live`, `/health/ready`) listens, apart from any API. */
  @IsString()
  METRICS_HOST: string = '127.0.0.1';

  /**
   * The operations listener's port; `0` takes an ephemeral one (the "metrics on" line names it). runService fills
   * in the service's own default (DEFAULT_METRICS_PORTS: scoring 9464 … demo-executor 9470) when unset.
   */
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT: number = 9464;
}

/** The fetch limits of CommonEnvironment, as MessagingModule takes them. */
export function fetchLimitsFrom(config: {
  get(key: 'KAFKA_FETCH_PARTITION_MAX_BYTES' | 'KAFKA_FETCH_MAX_BYTES', options: { infer: true }): number;
}) {
  return {
    maxBytesPerPartition: config.get('KAFKA_FETCH_PARTITION_MAX_BYTES', { infer: true }),
    maxBytes: config.get('KAFKA_FETCH_MAX_BYTES', { infer: true }),
  };
}
