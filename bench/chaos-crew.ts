import { GatewayClient } from './soak-people';
import { sleep } from './stats';

const HANDS_PER_REVIEWER = 3;

/** The part of a queue entry the crew reads. */
interface QueuedTask {
  decisionId: string;
  kind?: string;
  youMay: { approve: true | string; reject: true | string };
}

/**
 * Reviewers working as fast as the gateway lets them, so every review of a chaos run ends while it runs: each
 * lists their queue and approves what they may (one blocking review in six rejected, with a reason). A
 * post-hoc sample is always confirmed: its action already ran. A refused act (someone else was first, the
 * gateway or escalation is down) is simply tried again on a later round.
 */
export class ReviewCrew {
  private running = false;
  private loops: Promise<void>[] = [];
  acts = 0;

  constructor(
    private readonly client: GatewayClient,
    private readonly tokens: ReadonlyMap<string, string>,
  ) {}

  start(): void {
    this.running = true;
    // A few hands per person: the reference policy sends most reviews to one role (billing refunds), and one
    // loop there falls behind the stream on a loaded machine.
    this.loops = [...this.tokens.values()].flatMap((token) =>
      Array.from({ length: HANDS_PER_REVIEWER }, () => this.work(token)),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async work(token: string): Promise<void> {
    while (this.running) {
      const queue = (await this.client.get<QueuedTask[]>(token, '/v1/review-tasks?limit=50')) ?? [];
      // Each hand starts somewhere else in the queue, so two rarely race for one task.
      const mine = shuffle(queue.filter((task) => task.youMay?.approve === true));
      for (const task of mine) {
        if (!this.running) return;
        const path = `/v1/review-tasks/${encodeURIComponent(task.decisionId)}`;
        const reject =
          task.kind !== 'post-hoc-sample' && task.youMay.reject === true && hash(task.decisionId) % 6 === 0;
        const status = reject
          ? await this.client.act(token, `${path}/reject`, {
              reasonCode: 'insufficient-evidence',
              comment: 'chaos crew: the context does not support it',
            })
          : await this.client.act(token, `${path}/approve`, { comment: 'chaos crew: checked' });
        if (status === 200) this.acts++;
      }
      await sleep(mine.length ? 50 : 500);
    }
  }
}

/** The same answer for a decision whoever looks at it, so two approvers never disagree at random. */
function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (h * 31 + char.charCodeAt(0)) >>> 0;
  return h;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
