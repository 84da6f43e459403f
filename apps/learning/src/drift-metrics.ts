import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DriftEpisodes } from '@oversight/learning-store';
import { GaugeRefresh, nameLabel, platformMetrics, refreshGauges } from '@oversight/observability';

/**
 * `oversight_drift_episodes_open` per business function, from the drift episodes and their clearing (one small
 * document each), refreshed every GAUGE_REFRESH_MS; a function whose episodes are all cleared shows 0.
 */
@Injectable()
export class DriftMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DriftMetrics.name);
  private refresh?: GaugeRefresh;

  constructor(private readonly episodes: DriftEpisodes) {}

  onApplicationBootstrap(): void {
    this.refresh = refreshGauges(
      'the drift episode gauge',
      async () => {
        const open = await this.episodes.openByFunction();
        open.forEach((count, fn) =>
          platformMetrics.driftEpisodesOpen().set({ function: nameLabel(fn) }, count),
        );
      },
      undefined,
      (message) => this.logger.warn(message),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.refresh?.stop();
  }
}
