import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DRIFT_HALT_BY, newEvent, Topic } from '@oversight/contracts';
import { detectDrift, DriftFinding, driftWindowSizes } from '@oversight/learning';
import { DriftEpisodes, episodeId, OversightRecords, UnpublishedEpisode } from '@oversight/learning-store';
import { EventPublisher } from '@oversight/messaging';
import { ActivePolicy, HaltsInForce } from '@oversight/messaging-nest';
import { resolveLearningPolicy } from '@oversight/policy';
import { LearningEnvironment } from './config/learning-environment';

/**
 * Checks functions with new records for drift, against the active policy's bounds, and raises one
 * DriftDetected per episode: the episode is written first (its unique key decides between instances), then
 * published, and, when the policy says to tighten, the function is halted to review (the stop button's event)
 * before the alert goes out. An open episode is never raised again; a person clears it, and a new baseline
 * starts after that. Which functions to check is kept in memory only as a hint: every check reads the store.
 */
@Injectable()
export class DriftWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DriftWatch.name);
  private readonly due = new Set<string>();
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(
    private readonly records: OversightRecords,
    private readonly episodes: DriftEpisodes,
    private readonly publisher: EventPublisher,
    private readonly policy: ActivePolicy,
    private readonly halts: HaltsInForce,
    private readonly config: ConfigService<LearningEnvironment, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.checkDue(),
      this.config.get('LEARNING_DRIFT_CHECK_MS', { infer: true }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
  }

  touched(businessFunctions: string[]): void {
    businessFunctions.forEach((fn) => this.due.add(fn));
  }

  /** Checks every function due, then publishes what a crash left unpublished; one round at a time. */
  checkDue(): Promise<void> {
    this.checking ??= this.round().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async round(): Promise<void> {
    try {
      const functions = [...this.due];
      this.due.clear();
      for (const fn of functions) {
        try {
          await this.check(fn);
        } catch (error) {
          this.due.add(fn);
          this.logger.error({
            message: 'drift check failed; checked again next round',
            businessFunction: fn,
            error: String(error),
          });
        }
      }
      for (const episode of await this.episodes.unpublished()) await this.publish(episode);
    } catch (error) {
      this.logger.error({
        message: 'publishing a drift episode failed; retried next round',
        error: String(error),
      });
    }
  }

  /** Checks one function; returns the finding when it raised an episode. */
  async check(businessFunction: string): Promise<DriftFinding | undefined> {
    const policy = this.policy.current();
    const { drift: bounds } = resolveLearningPolicy(policy, businessFunction);
    const latest = await this.episodes.latest(businessFunction);
    if (latest && !latest.clearedAt) return undefined;
    const since = latest?.clearedAt ?? new Date(0);
    const sizes = driftWindowSizes(bounds);
    const [labels, decisions] = await Promise.all([
      this.records.latestLabels(businessFunction, since, sizes.currentLabels + sizes.baselineLabels),
      this.records.latestDecisions(businessFunction, since, sizes.currentDecisions + sizes.baselineDecisions),
    ]);
    // Newest first: the current window, then the baseline before it.
    const finding = detectDrift(
      {
        currentLabels: labels.slice(0, sizes.currentLabels),
        baselineLabels: labels.slice(sizes.currentLabels),
        currentDecisions: decisions.slice(0, sizes.currentDecisions),
        baselineDecisions: decisions.slice(sizes.currentDecisions),
      },
      bounds,
    );
    if (!finding.drifting) return undefined;

    const episode = (latest?.episode ?? 0) + 1;
    // A function a person halted already stays as they left it: the drift never takes their halt over.
    const tighten = bounds.tightenRouting && !this.halts.isHalted(businessFunction);
    const correlationId = `drift-${businessFunction}-${episode}`;
    const detected = newEvent('DriftDetected', {
      producer: 'learning',
      correlationId,
      payload: {
        businessFunction,
        episode,
        reasons: finding.reasons,
        baseline: finding.baseline,
        current: finding.current,
        ...(finding.psi !== undefined ? { psi: finding.psi } : {}),
        modelVersions: [
          ...new Set(labels.slice(0, sizes.currentLabels).map((label) => label.modelVersion)),
        ].slice(0, 20),
        tightened: tighten,
        policyId: policy.policyId,
        policyVersion: policy.version,
      },
    });
    const halt = tighten
      ? newEvent('HaltChanged', {
          producer: 'learning',
          correlationId,
          payload: {
            scope: businessFunction,
            halted: true,
            reason:
              `drift episode ${episode}: ${finding.reasons[0]}; to review until a person clears it`.slice(
                0,
                500,
              ),
            changedBy: DRIFT_HALT_BY,
          },
        })
      : undefined;
    if (!(await this.episodes.open(detected, halt))) return undefined;
    await this.publish({ id: episodeId(businessFunction, episode), detected, halt });
    this.logger.warn({
      message: 'drift detected',
      businessFunction,
      episode,
      reasons: finding.reasons,
      tightened: !!halt,
    });
    return finding;
  }

  private async publish({ id, detected, halt }: UnpublishedEpisode): Promise<void> {
    // An episode cleared before its alert went out (a crash in between) must not halt the function now.
    if (halt && !(await this.episodes.isCleared(id))) await this.publisher.publish(Topic.HaltChanged, halt);
    await this.publisher.publish(Topic.Drift, detected);
    await this.episodes.markPublished(id);
  }
}
