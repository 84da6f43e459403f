import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const count = (description: string): SchemaObject => ({ type: 'number', nullable: true, description });
const row = (properties: Record<string, SchemaObject>): SchemaObject => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
});

/** The overview's shape in the OpenAPI document (OperationsOverview in operations-view.ts). */
export const OPERATIONS_OVERVIEW_SCHEMA: SchemaObject = row({
  at: { type: 'string', format: 'date-time', description: 'when Prometheus was asked' },
  lag: {
    type: 'array',
    description: 'per consumer group and topic, the most behind first',
    items: row({
      group: { type: 'string' },
      topic: { type: 'string' },
      lag: { type: 'number', description: 'messages behind, over all partitions' },
      members: count('consumers in the group now'),
    }),
  },
  deadLetters: {
    type: 'array',
    description: 'per service, source topic and reason',
    items: row({
      service: { type: 'string' },
      topic: { type: 'string' },
      reason: { type: 'string' },
      total: { type: 'number' },
      perSecond: { type: 'number', description: 'over the last 5 minutes' },
    }),
  },
  reviews: {
    type: 'array',
    description: 'per business function',
    items: row({
      function: { type: 'string' },
      queueDepth: count('open review tasks'),
      oldestPendingAgeSeconds: count('age of the oldest open task'),
      slaSeconds: count('the first-response SLA the policy sets'),
      atRisk: count('open tasks past 80 % of their SLA'),
    }),
  },
  haltsInForce: count('halts in force; null when no service reports it'),
  services: {
    type: 'array',
    description: 'per scrape job and target, down first',
    items: row({ job: { type: 'string' }, instance: { type: 'string' }, up: { type: 'boolean' } }),
  },
  alerts: {
    type: 'array',
    description: 'alerts firing or pending',
    items: row({
      name: { type: 'string' },
      state: { type: 'string', enum: ['firing', 'pending'] },
      severity: { type: 'string', nullable: true },
      summary: { type: 'string', nullable: true },
      activeAt: { type: 'string', nullable: true },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    }),
  },
});
