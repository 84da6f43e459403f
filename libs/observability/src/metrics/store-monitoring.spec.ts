import { EventEmitter } from 'node:events';
import type { MongoClient } from 'mongodb';
import { register } from 'prom-client';
import { collectionOf, monitorStoreOperations } from './store-monitoring';

async function count(labels: Record<string, string>) {
  const metric = await register.getSingleMetric('oversight_store_operation_duration_seconds')?.get();
  return metric?.values.find(
    (v) =>
      (v as { metricName?: string }).metricName === 'oversight_store_operation_duration_seconds_count' &&
      Object.entries(labels).every(([k, value]) => (v.labels as Record<string, unknown>)[k] === value),
  )?.value;
}

describe('collectionOf', () => {
  it('reads the collection a command works on', () => {
    expect(collectionOf('find', { find: 'review_tasks', filter: {} })).toBe('review_tasks');
    expect(collectionOf('getMore', { getMore: 12n, collection: 'audit_events' })).toBe('audit_events');
    expect(collectionOf('hello', { hello: 1 })).toBeUndefined();
  });
});

describe('monitorStoreOperations', () => {
  it("times succeeded and failed commands by operation and the service's own collection", async () => {
    const client = new EventEmitter();
    monitorStoreOperations(client as unknown as MongoClient, () => ['spec_tasks']);
    client.emit('commandStarted', { requestId: 1, commandName: 'find', command: { find: 'spec_tasks' } });
    client.emit('commandSucceeded', { requestId: 1, commandName: 'find', duration: 3 });
    client.emit('commandStarted', { requestId: 2, commandName: 'insert', command: { insert: 'spec_tasks' } });
    client.emit('commandFailed', { requestId: 2, commandName: 'insert', duration: 7 });
    expect(await count({ operation: 'find', collection: 'spec_tasks' })).toBe(1);
    expect(await count({ operation: 'insert', collection: 'spec_tasks' })).toBe(1);
  });

  it('labels another collection and an unknown command "other"', async () => {
    const client = new EventEmitter();
    monitorStoreOperations(client as unknown as MongoClient, () => ['spec_tasks']);
    client.emit('commandStarted', {
      requestId: 3,
      commandName: 'dropDatabase',
      command: { dropDatabase: 1 },
    });
    client.emit('commandSucceeded', { requestId: 3, commandName: 'dropDatabase', duration: 1 });
    client.emit('commandStarted', { requestId: 4, commandName: 'find', command: { find: 'someone_elses' } });
    client.emit('commandSucceeded', { requestId: 4, commandName: 'find', duration: 1 });
    expect(await count({ operation: 'other', collection: 'other' })).toBe(1);
    expect(await count({ operation: 'find', collection: 'other' })).toBe(1);
  });
});
