import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { GaugeRefresh, nameLabel, platformMetrics, refreshGauges, safely } from '@oversight/observability';
import { EscalationEnvironment } from '../config/escalation-environment';
import { ActMetrics, queueGaugesOf } from './review-metrics';
import { ReviewTaskRepository } from './review-task.repository';

/**
 * The review queue as Prometheus sees it: depth, oldest pending age, SLA and tasks at risk per business
 * function, refreshed from the open tasks' heads (bounded by open work) every REVIEW_QUEUE_METRICS_MS; and the
 * counters of each accepted act (time to decision, SLA breaches, escalations), counted by the instance whose
 * write was accepted, so once.
 */
@Injectable()
export class ReviewQueueMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReviewQueueMetrics.name);
  /** Functions seen with open tasks: set back to 0 once their queue empties. */
  private readonly seen = new Set<string>();
  private refresh?: GaugeRefresh;

  constructor(
    private readonly tasks: ReviewTaskRepository,
    private readonly config: ConfigService<EscalationEnvironment, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.refresh = refreshGauges(
      'the review queue gauges',
      () => this.refreshQueue(),
      this.config.get('REVIEW_QUEUE_METRICS_MS', { infer: true }),
      (message) => this.logger.warn(message),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.refresh?.stop();
  }

  private async refreshQueue(): Promise<void> {
    const gauges = queueGaugesOf(await this.tasks.openHeads(), new Date());
    const byFunction = new Map([...gauges].map(([fn, g]) => [nameLabel(fn), g]));
    byFunction.forEach((_, fn) => this.seen.add(fn));
    for (const fn of this.seen) {
      const g = byFunction.get(fn);
      const labels = { function: fn };
      platformMetrics.reviewQueueDepth().set(labels, g?.depth ?? 0);
      platformMetrics.reviewOldestPendingAge().set(labels, g?.oldestPendingAgeSeconds ?? 0);
      platformMetrics.reviewSlaAtRisk().set(labels, g?.atRisk ?? 0);
      if (g?.slaSeconds) platformMetrics.reviewSla().set(labels, g.slaSeconds);
    }
  }

  /** Counts what an accepted act did. */
  recordAct(metrics: ActMetrics): void {
    safely(() => {
      const fn = nameLabel(metrics.businessFunction);
      if (metrics.escalations) platformMetrics.escalations().inc({ function: fn }, metrics.escalations);
      const { decision } = metrics;
      if (!decision) return;
      platformMetrics
        .timeToDecision()
        .observe({ function: fn, decided_by: decision.decidedBy }, decision.seconds);
      if (decision.breachedSla) platformMetrics.slaBreaches().inc({ function: fn });
    });
  }
}
