import { PLATFORM_SERVICES, PlatformService } from '@oversight/contracts';

/** What a scenario does to the running platform, once its stream is under way. */
export type Fault =
  | { kind: 'kill'; services: PlatformService[]; downMs: number }
  /** Each service killed and restarted in turn, one after the other (the smoke run's single scenario). */
  | { kind: 'kill-each'; services: PlatformService[]; downMs: number }
  | { kind: 'pause-broker'; downMs: number }
  | { kind: 'kill-broker'; downMs: number }
  | { kind: 'pause-store'; downMs: number }
  | { kind: 'kill-store'; downMs: number };

export interface ChaosScenario {
  /** How the results name it, e.g. `kill routing+audit`. */
  name: string;
  fault: Fault;
}

export interface ChaosPlan {
  smoke: boolean;
  /** Decisions (and the demo's few malformed messages) per scenario, at `rate` a second. */
  decisions: number;
  rate: number;
  /** The fault starts once this share of the stream is published. */
  faultAt: number;
  /** After the stream: how long everything may take to settle before what is left counts as lost. */
  settleLimitMs: number;
  seed: number;
  scenarios: ChaosScenario[];
}

/** Every service of `npm start`. */
export const CHAOS_SERVICES: readonly PlatformService[] = PLATFORM_SERVICES;

const FIVE_S = 5_000;
const TEN_S = 10_000;

export function chaosPlan(args: { smoke: boolean; decisions?: number; only?: string }): ChaosPlan {
  const full: ChaosScenario[] = [
    ...CHAOS_SERVICES.map((service) => ({
      name: `kill ${service}`,
      fault: { kind: 'kill', services: [service], downMs: FIVE_S } as Fault,
    })),
    { name: 'kill routing+audit', fault: { kind: 'kill', services: ['routing', 'audit'], downMs: FIVE_S } },
    { name: 'pause broker', fault: { kind: 'pause-broker', downMs: TEN_S } },
    { name: 'kill broker', fault: { kind: 'kill-broker', downMs: FIVE_S } },
    { name: 'pause store', fault: { kind: 'pause-store', downMs: TEN_S } },
    { name: 'kill store', fault: { kind: 'kill-store', downMs: FIVE_S } },
  ];
  const smoke: ChaosScenario[] = [
    {
      name: 'kill each service in turn',
      fault: { kind: 'kill-each', services: [...CHAOS_SERVICES], downMs: 2_000 },
    },
  ];
  const scenarios = (args.smoke ? smoke : full).filter((s) => !args.only || s.name === args.only);
  if (!scenarios.length) {
    throw new Error(
      `no scenario is named "${args.only}"; the scenarios: ${full.map((s) => s.name).join(', ')}`,
    );
  }
  return {
    smoke: args.smoke,
    decisions: args.decisions ?? (args.smoke ? 1_500 : 5_000),
    rate: 50,
    faultAt: args.smoke ? 0.2 : 0.4,
    settleLimitMs: args.smoke ? 240_000 : 600_000,
    seed: 14,
    scenarios,
  };
}
