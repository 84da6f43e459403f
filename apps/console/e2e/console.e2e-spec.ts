import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEVELOPMENT_JWT_SECRET, issueToken } from '@oversight/auth';
import {
  DecisionProposed,
  exampleDecisionProposed,
  PlatformEvent,
  Topic,
  TOPIC_SPECS,
} from '@oversight/contracts';
import { ControlClient } from '@oversight/control';
import { createProducer, ensureTopics, EventPublisher } from '@oversight/messaging';
import { loadPolicyFile, REFERENCE_POLICY_FILE } from '@oversight/policy';
import {
  dropTestDatabase,
  eventually,
  publishAnsweredDecision,
  ServiceProcess,
  testDatabaseUri,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@oversight/testing';
import { Producer } from 'kafkajs';

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The README shows the latest screenshots of this suite. */
const SCREENSHOTS = path.resolve(__dirname, '../../../docs/screenshots');
const LAPTOP = { width: 1366, height: 820 };

/**
 * The reviewers' console in a real browser, served by the gateway, against scoring, routing, escalation, audit
 * and the gateway as processes on the real broker and store. People sign in as the embedded setup's demo users.
 */
describe('reviewer console in Chromium (gateway, services, Kafka and store all real)', () => {
  const runId = uniqueName('ui');
  const policyId = uniqueName('ref');
  const databaseUri = testDatabaseUri('console');
  const port = 20_000 + Math.floor(Math.random() * 2000);
  const env = {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    MONGODB_URI: databaseUri,
    POLICY_ID: policyId,
    SCORING_CONSUMER_GROUP: `scoring-${runId}`,
    ROUTING_CONSUMER_GROUP: `routing-${runId}`,
    ESCALATION_CONSUMER_GROUP: `escalation-${runId}`,
    AUDIT_CONSUMER_GROUP: `audit-${runId}`,
    EXECUTOR_NAME: `ledger-${runId}`,
    EXECUTOR_FAILURE_RATE: '0',
    ESCALATION_PORT: String(port),
    LOG_LEVEL: 'log',
  };
  const base = `http://127.0.0.1:${port + 1}`;
  const services = [
    new ServiceProcess('scoring', env),
    new ServiceProcess('routing', env),
    new ServiceProcess('escalation', env),
    new ServiceProcess('audit', env),
    new ServiceProcess('demo-executor', env),
    new ServiceProcess('learning', {
      ...env,
      LEARNING_CONSUMER_GROUP: `learning-${runId}`,
      LEARNING_DRIFT_CHECK_MS: '500',
    }),
    // Serves the console build beside its own (dist/apps/console), as in production.
    new ServiceProcess('gateway', {
      ...env,
      GATEWAY_PORT: String(port + 1),
      ESCALATION_URL: `http://127.0.0.1:${port}`,
    }),
  ];

  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let producer: Producer;
  let control: ControlClient;
  let approvals: TopicRecorder;

  /** What an upstream system does: POST the proposal to the gateway under its own credentials. */
  const submit = async (subject: string, fields: Partial<DecisionProposed>): Promise<string> => {
    const token = await issueToken(
      { secret: DEVELOPMENT_JWT_SECRET, issuer: 'oversight', audience: 'oversight-api' },
      { subject, roles: ['upstream'], kind: 'user' },
      '10m',
    );
    const { requester: _requester, ...body } = exampleDecisionProposed(fields);
    const decisionId = uniqueName('dec');
    const response = await fetch(`${base}/v1/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decisionId, ...body }),
    });
    expect(response.status).toBe(202);
    return decisionId;
  };

  const amendment = (amount: number): Partial<DecisionProposed> => ({
    businessFunction: 'contract-management',
    actionType: 'contract-amendment',
    agent: { id: 'contracts-assistant', modelId: 'gpt-legal', modelVersion: '2026-09-15' },
    amount: { value: amount, currency: 'USD' },
    parameters: { contractId: 'MSA-2291', clause: '7.2 liability cap', newCap: amount },
    subject: { kind: 'supplier', id: 'SUP-ACME' },
    context: { summary: 'Raise the liability cap of the ACME master agreement.', traceId: 'trace-7781' },
  });

  /** A person at their own browser window: a context of their own, so two people never share a session. */
  const signIn = async (user: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: LAPTOP });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('User').fill(user);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').filter({ hasText: user }).waitFor();
    return page;
  };

  /** A decision's status as the gateway answers it to an auditor. */
  const statusOf = async (decisionId: string): Promise<string> => {
    const token = await issueToken(
      { secret: DEVELOPMENT_JWT_SECRET, issuer: 'oversight', audience: 'oversight-api' },
      { subject: 'audrey', roles: ['auditor'], kind: 'user' },
      '10m',
    );
    const response = await fetch(`${base}/v1/decisions/${decisionId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return response.ok ? ((await response.json()) as { status: string }).status : `http ${response.status}`;
  };

  const shoot = (page: Page, name: string, fullPage = false) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });

  const openTask = async (page: Page, decisionId: string) => {
    await page.goto(`${base}/#/tasks/${encodeURIComponent(decisionId)}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
  };

  const actButton = (page: Page, name: string) =>
    page.getByRole('group', { name: 'Acts on this task' }).getByRole('button', { name, exact: true });

  /** The reason shown beside a disabled act: the button's accessible description. */
  const whyNot = async (page: Page, name: string) => {
    const id = await actButton(page, name).getAttribute('aria-describedby');
    expect(id).toBeTruthy();
    return page.locator(`[id="${id}"]`).textContent();
  };

  const approvedEvents = (decisionId: string) => {
    const events = approvals
      .withKey(decisionId)
      .map((m) => JSON.parse(m.message.value!.toString()) as PlatformEvent);
    return [...new Map(events.map((event) => [event.eventId, event])).values()];
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const kafka = testKafka();
    await ensureTopics(kafka, TOPIC_SPECS);
    producer = createProducer(kafka);
    await producer.connect();
    control = new ControlClient(new EventPublisher(producer), 'e2e-operator');
    await control.resume('*', 'console e2e start', 'e2e-operator');
    await control.resume('telecom-billing', 'console e2e start', 'e2e-operator');
    await control.publishPolicy({ ...loadPolicyFile(REFERENCE_POLICY_FILE), policyId }, 'e2e-operator');
    approvals = await new TopicRecorder(kafka, Topic.ActionApproved).start();
    [browser] = await Promise.all([
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
      ...services.map((service) => service.start()),
    ]);
  }, 180_000);

  afterAll(async () => {
    await control?.resume('telecom-billing', 'console e2e done', 'e2e-operator');
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await Promise.all(services.map((service) => service.stop()));
    await approvals?.stop();
    await producer?.disconnect();
    await dropTestDatabase(databaseUri);
  });

  let amendmentId: string;

  it('signs a reviewer in and shows a new task in the queue as it arrives, without a reload', async () => {
    const lena = await signIn('lena');
    await lena.getByRole('heading', { name: 'Review queue' }).waitFor();
    await lena.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();

    amendmentId = await submit('contracts-portal', amendment(1_200_000));
    const row = lena.locator(`tr[data-decision-id="${amendmentId}"]`);
    await row.waitFor({ timeout: 60_000 });
    await expect(row.getByTestId('quorum').textContent()).resolves.toBe('0 of 2');
    await expect(row.textContent()).resolves.toContain('$1,200,000');
    await expect(row.textContent()).resolves.toMatch(/\d+h \d\dm left|\d+d \d+h left/);
    await shoot(lena, 'queue');
  });

  it('needs two different people to approve the $1.2M amendment, and tells the first why they cannot approve twice', async () => {
    const lena = await signIn('lena');
    await lena.goto(`${base}/#/queue`);
    await lena.locator(`tr[data-decision-id="${amendmentId}"]`).getByRole('link').click();
    await lena.getByRole('heading', { name: /contract-amendment/ }).waitFor();
    // Everything a reviewer decides on is on the page.
    for (const text of ['MSA-2291', 'gpt-legal', 'trace-7781', 'amount', `${policyId} v1`]) {
      await expect(lena.locator('article').textContent()).resolves.toContain(text);
    }
    // The timeline is the audit trail's, which may be a moment behind the review (the audit service stores
    // each topic as it reads it): a reviewer who reloads sees the scoring too.
    await eventually(
      async () => {
        if (!(await lena.locator('article').textContent())?.includes('DecisionScored')) {
          await lena.reload();
          await lena.getByRole('heading', { name: /contract-amendment/ }).waitFor();
        }
        await expect(lena.locator('article').textContent()).resolves.toContain('DecisionScored');
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    );
    await shoot(lena, 'task', true);

    await actButton(lena, 'Approve').click();
    await lena.getByLabel('Comment (optional)').fill('Cap in line with the group policy.');
    await lena.getByRole('button', { name: 'Confirm approval' }).click();
    await lena.getByTestId('task-quorum').filter({ hasText: '1 of 2' }).waitFor();
    await expect(actButton(lena, 'Approve').isDisabled()).resolves.toBe(true);
    await expect(whyNot(lena, 'Approve')).resolves.toMatch(/already approved/i);

    const fiona = await signIn('fiona');
    await openTask(fiona, amendmentId);
    await fiona.getByTestId('task-quorum').filter({ hasText: '1 of 2' }).waitFor();
    await actButton(fiona, 'Approve').click();
    await fiona.getByRole('button', { name: 'Confirm approval' }).click();
    await fiona.getByTestId('task-status').filter({ hasText: 'approved' }).waitFor();
    // Lena's page follows without a reload.
    await lena.getByTestId('task-status').filter({ hasText: 'approved' }).waitFor({ timeout: 30_000 });

    const events = await eventually(async () => {
      const found = approvedEvents(amendmentId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(events[0].payload).toMatchObject({
      mode: 'human',
      approvers: [expect.objectContaining({ id: 'lena' }), expect.objectContaining({ id: 'fiona' })],
    });
  });

  it('explains why a person cannot approve what they requested themselves', async () => {
    const decisionId = await submit('fiona', amendment(400_000));
    const fiona = await signIn('fiona');
    await eventually(
      async () => {
        await openTask(fiona, decisionId);
        await fiona.getByTestId('task-status').waitFor({ timeout: 2_000 });
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await expect(actButton(fiona, 'Approve').isDisabled()).resolves.toBe(true);
    // Shown beside the button, and its description for screen readers.
    await expect(whyNot(fiona, 'Approve')).resolves.toContain('you requested this action');
    await shoot(fiona, 'self-approval');
  });

  it('edits the parameters, approves the edited action and shows how the re-score changed it', async () => {
    const decisionId = await submit('contracts-portal', amendment(400_000));
    const lena = await signIn('lena');
    await eventually(
      async () => {
        await openTask(lena, decisionId);
        await lena.getByTestId('task-status').waitFor({ timeout: 2_000 });
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await actButton(lena, 'Edit then approve').click();
    await lena
      .getByLabel('Parameters (JSON)')
      .fill(JSON.stringify({ contractId: 'MSA-2291', clause: '7.2 liability cap', newCap: 1_500_000 }));
    await lena.getByLabel('Amount (USD)').fill('1500000');
    await lena
      .getByLabel('What you changed and why (required)')
      .fill('Cap agreed at 1.5M in the negotiation.');
    await lena.getByRole('button', { name: 'Save edit and approve' }).click();
    await lena
      .getByText(/^Edited and approved\. Re-scored after your edit: score \d+ → \d+, tier medium → high/)
      .waitFor();
    await lena.getByTestId('task-quorum').filter({ hasText: '1 of 2' }).waitFor();
    await expect(lena.locator('article').textContent()).resolves.toContain('$1,500,000');
  });

  it('lets a supervisor halt a function with a confirmation, after which its new decisions wait for a person', async () => {
    const vera = await signIn('vera');
    await vera.getByRole('link', { name: 'Oversight' }).click();
    await vera.getByLabel('Business function (or * for all)').fill('telecom-billing');
    await vera.getByRole('button', { name: 'Halt…' }).click();
    const dialog = vera.getByRole('dialog');
    await dialog.getByLabel('Reason (recorded in the audit trail)').fill('suspected refund fraud');
    await dialog.getByRole('button', { name: 'Halt auto-execution' }).click();
    await vera.locator('li[data-scope="telecom-billing"]').waitFor();

    // The halt reaches routing through its topic; a refund the policy would run on its own now goes to review.
    const bella = await signIn('bella');
    const refund = await eventually(
      async () => {
        const decisionId = await submit('billing-portal', { amount: { value: 12, currency: 'USD' } });
        await vera
          .locator(`tr[data-decision-id="${decisionId}"] [data-testid="route"]`)
          .filter({ hasText: /review/ })
          .waitFor({ timeout: 10_000 });
        return decisionId;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await shoot(vera, 'oversight');
    await bella.locator(`tr[data-decision-id="${refund}"]`).waitFor({ timeout: 30_000 });

    await vera.locator('li[data-scope="telecom-billing"]').getByRole('button', { name: 'Resume…' }).click();
    await vera.getByRole('dialog').getByLabel('Reason (recorded in the audit trail)').fill('fraud ruled out');
    await vera.getByRole('dialog').getByRole('button', { name: 'Resume auto-execution' }).click();
    // Other suites may leave halts of their own scopes in force on the shared broker: only this one must go.
    await vera.locator('li[data-scope="telecom-billing"]').waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('lets a supervisor reverse an action that ran on its own, after a confirmation', async () => {
    // The supervisor watches the live feed as the refund runs on its own.
    const vera = await signIn('vera');
    await vera.goto(`${base}/#/oversight`);
    await vera.getByRole('heading', { name: 'Decisions as they happen' }).waitFor();
    await vera.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();
    const refund = await submit('billing-portal', { amount: { value: 12, currency: 'USD' } });
    const row = vera.locator(`tr[data-decision-id="${refund}"]`).first();
    await row.waitFor({ timeout: 60_000 });
    await eventually(async () => expect(await statusOf(refund)).toBe('executed'), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    await row.getByRole('button', { name: 'Reverse…' }).click();
    await vera
      .getByRole('dialog')
      .getByLabel('Reason (recorded in the audit trail)')
      .fill('refund fraud ring');
    await vera.getByRole('dialog').getByRole('button', { name: 'Reverse the action' }).click();
    await expect(vera.getByTestId('reversal-outcome').textContent()).resolves.toContain(
      `Reversal of ${refund}`,
    );
    await eventually(async () => expect(await statusOf(refund)).toBe('reversed'), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
  });

  it('shows a supervisor the oversight metrics as charts, beside drift and threshold suggestions', async () => {
    const vera = await signIn('vera');
    await vera.goto(`${base}/#/metrics`);
    // The earlier tests' decisions: routed, approved by people and reversed after running on their own.
    const points = async (testId: string) =>
      Number(await vera.getByTestId(testId).getAttribute('data-points'));
    await eventually(
      async () => {
        await vera.getByTestId('metrics-refresh').click();
        await vera.getByTestId('chart-routing').waitFor({ timeout: 2_000 });
        expect(await points('chart-routing')).toBeGreaterThan(0);
        expect(await points('chart-rates')).toBeGreaterThan(0);
        expect(
          Number(await vera.getByTestId('total-labels').locator('.figure').textContent()),
        ).toBeGreaterThan(0);
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    await expect(vera.getByRole('figure', { name: /Override rate over time/ }).isVisible()).resolves.toBe(
      true,
    );
    await expect(
      vera.locator('[data-testid="chart-routing"] .recharts-bar-rectangle').count(),
    ).resolves.toBeGreaterThan(0);
    await vera.getByTestId('drift-panel').waitFor();
    await vera.getByTestId('threshold-suggestions').waitFor();
    await shoot(vera, 'metrics', true);
  });

  it('lets an auditor find a decision, open its chain, verify the trail and export it', async () => {
    const audrey = await signIn('audrey');
    await audrey.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await audrey.getByLabel('Function').fill('contract-management');
    await audrey.getByRole('button', { name: 'Search' }).click();
    await audrey.locator(`tr[data-decision-id="${amendmentId}"]`).getByRole('link').click();
    const chain = audrey.getByRole('region', { name: `Chain of ${amendmentId}` });
    await chain.getByText(/^#\d+ ActionApproved$/).waitFor();
    // Links are in the order the audit service stored them; under load a review request read from its own topic
    // can be stored before the proposal it answers, so the proposal's place in the chain is not fixed.
    await expect(chain.textContent()).resolves.toMatch(/#\d+ DecisionProposed/);

    await audrey.getByRole('button', { name: 'Verify the audit trail' }).click();
    await audrey
      .getByTestId('verification')
      .getByText(/^Intact: /)
      .waitFor({ timeout: 60_000 });
    await shoot(audrey, 'audit', true);

    const [download] = await Promise.all([
      audrey.waitForEvent('download'),
      audrey.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const file = await download.path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(file, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^_id,state,businessFunction/);
    expect(csv).toContain(amendmentId);
  });

  it('shows an approved action that failed for good, and lets a person correct it and have it carried out', async () => {
    const decisionId = await submit('crm-portal', {
      businessFunction: 'customer-accounts',
      actionType: 'account-closure',
      amount: undefined,
      parameters: { accountId: 'ACC-4410', finalBillBalance: 40 },
      subject: { kind: 'customer', id: 'CUST-4410' },
      context: { summary: 'Customer asked to close the account; a final bill of 40.00 is open.' },
    });
    const ada = await signIn('ada');
    await eventually(
      async () => {
        await openTask(ada, decisionId);
        await ada.getByTestId('task-status').waitFor({ timeout: 2_000 });
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await actButton(ada, 'Approve').click();
    await ada.getByRole('button', { name: 'Confirm approval' }).click();
    await ada.getByTestId('task-status').filter({ hasText: 'approved' }).waitFor({ timeout: 30_000 });

    await eventually(
      async () => {
        await ada.goto(`${base}/#/resolve`);
        await ada.locator(`tr[data-decision-id="${decisionId}"]`).waitFor({ timeout: 2_000 });
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    await ada.locator(`tr[data-decision-id="${decisionId}"]`).getByRole('link').click();
    await expect(ada.getByTestId('resolve-error').textContent()).resolves.toContain('balance-outstanding');
    await ada
      .getByLabel('Parameters (JSON)')
      .fill(JSON.stringify({ accountId: 'ACC-4410', finalBillBalance: 0 }));
    await ada
      .getByLabel('What you corrected or checked (required)')
      .fill('final bill paid by card on the phone');
    await shoot(ada, 'resolve', true);
    await ada.getByRole('button', { name: 'Retry with these parameters' }).click();
    await expect(ada.getByTestId('resolve-outcome').textContent()).resolves.toMatch(/as try 2\.$/);
    // The decision ends resolved, as the audit view shows it.
    await eventually(async () => expect(await statusOf(decisionId)).toBe('resolved'), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
  });

  it('works from the keyboard and reflows on a narrow window', async () => {
    const context = await browser.newContext({ viewport: { width: 420, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('User').focus();
    await page.keyboard.type('lena');
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-as').waitFor();
    await openTask(page, amendmentId);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  // Last: it publishes a second version of the suite's policy, which the tests before it do not expect.
  it('alerts supervisors to a drifting model on the Oversight screen, and lets them clear it on the Metrics screen', async () => {
    const fn = uniqueName('drifting').toLowerCase();
    const reference = loadPolicyFile(REFERENCE_POLICY_FILE);
    await control.publishPolicy(
      {
        ...reference,
        policyId,
        version: 2,
        functions: {
          ...reference.functions,
          [fn]: {
            ...reference.functions['telecom-billing'],
            learning: {
              drift: {
                windowLabels: 20,
                baselineLabels: 40,
                overrideRateIncrease: 0.15,
                tightenRouting: true,
              },
            },
          },
        },
      },
      'e2e-operator',
    );
    const publisher = new EventPublisher(producer);
    // Agreed with 40 times, then overridden 20 times in a row.
    for (let i = 0; i < 60; i++) {
      await publishAnsweredDecision(publisher, {
        decisionId: `${fn}-${i}`,
        businessFunction: fn,
        policyId,
        modelVersion: i < 40 ? 'v1' : 'v2',
        confidence: 0.7,
        answer: i < 40 ? 'approve' : 'reject',
      });
    }

    const vera = await signIn('vera');
    await eventually(
      async () => {
        await vera.goto(`${base}/#/oversight`);
        await vera.reload();
        await vera
          .getByTestId('drift-alert')
          .locator(`[data-business-function="${fn}"]`)
          .waitFor({ timeout: 3_000 });
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    await expect(vera.getByTestId('drift-alert').textContent()).resolves.toMatch(/override rate rose/);
    // Tightened: the drift pressed the stop button for that function.
    await vera.locator(`li[data-scope="${fn}"]`).waitFor();
    await shoot(vera, 'drift-alert');

    await vera.getByRole('link', { name: 'Look and clear on the Metrics screen' }).click();
    const episode = vera.locator(`[data-testid="drift-episode"][data-business-function="${fn}"]`);
    await episode.getByRole('button', { name: 'Clear…' }).click();
    const dialog = vera.getByRole('dialog');
    await dialog.getByLabel('Reason (recorded in the audit trail)').fill('v2 rolled back');
    await dialog.getByRole('button', { name: 'Clear the drift episode' }).click();
    await vera
      .locator(`[data-testid="drift-cleared-episode"]`)
      .filter({ hasText: fn })
      .waitFor({ timeout: 30_000 });
    await vera.goto(`${base}/#/oversight`);
    await vera.locator(`li[data-scope="${fn}"]`).waitFor({ state: 'detached', timeout: 30_000 });
    await expect(vera.getByTestId('drift-alert').count()).resolves.toBe(0);
  });
});
