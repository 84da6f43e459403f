/**
 * The SDK end to end, against a running platform (`npm start`): an executor of its own for $12 refunds, and an
 * upstream system that submits one and waits for how it ends.
 *
 *   npm run gateway -- api-key create --name refund-example --roles upstream      # prints the key once
 *   OVERSIGHT_API_KEY=ovk_... npm run sdk-example
 */
import { exampleDecisionProposed } from '@oversight/contracts';
import { createExecutor, ExecutionFailure, OversightClient } from '../src';

const GATEWAY_URL = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const MONGODB_URI = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/refund-example';

async function main() {
  const apiKey = process.env.OVERSIGHT_API_KEY;
  if (!apiKey)
    throw new Error(
      'set OVERSIGHT_API_KEY (npm run gateway -- api-key create --name refund-example --roles upstream)',
    );

  const decisionId = `refund-example-${Date.now()}`;
  // This example's own "billing system": credits keyed by the try's idempotency key, so a repeat books nothing.
  // While the demo stream runs, its refunds reach this executor too (its own consumer group): it books them as well.
  const credits = new Map<string, { decisionId: string; accountId: string; amount: number }>();
  let carriedOut: (result: string) => void = () => undefined;
  const ours = new Promise<string>((resolve) => (carriedOut = resolve));
  const executor = createExecutor({
    name: 'refund-example',
    actionTypes: ['refund'],
    idempotent: true,
    kafka: { brokers: KAFKA_BROKERS },
    store: { uri: MONGODB_URI },
    execute: async (action) => {
      const accountId = action.parameters.accountId;
      if (typeof accountId !== 'string') {
        throw new ExecutionFailure('no accountId to credit', { code: 'missing-parameter' });
      }
      credits.set(action.idempotencyKey, {
        decisionId: action.decisionId,
        accountId,
        amount: action.amount?.value ?? 0,
      });
      if (action.decisionId === decisionId) carriedOut(action.idempotencyKey);
      return { creditId: action.idempotencyKey };
    },
  });
  await executor.start();

  const client = new OversightClient({ gatewayUrl: GATEWAY_URL, apiKey });
  const { requester: _requester, ...refund } = exampleDecisionProposed();
  await client.submit({ decisionId, ...refund });
  console.log(`submitted ${decisionId}`);
  console.log('outcome', await client.awaitOutcome(decisionId, 60_000));
  const key = await ours;
  console.log(`carried out as ${key}:`, credits.get(key));
  await executor.stop();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
