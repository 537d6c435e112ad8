import { Config } from '@backstage/config';
import {
  conditionsAt,
  readTrafficSettings,
  ScenarioName,
} from '@internal/backstage-plugin-observability-backend-module-traffic-generator';

export interface SimulatedHealth {
  region: string;
  status: 'ok' | 'down';
  httpStatus: 200 | 503;
  scenarios: ScenarioName[];
}

/**
 * Health endpoints for the embedded default, where there are no real
 * regions: each region answers as the traffic generator's scenario says
 * it is (us-east-1 down in the fourth fifth of every cycle), computed from
 * the same scenario function and clock settings the generator uses. The
 * health probes reach these over HTTP like real endpoints.
 */
export class RegionSimulation {
  private readonly scenarios: ScenarioName[];
  private readonly cycleMinutes?: number;
  private readonly startedAtMs: number;

  static fromConfig(config: Config, startedAtMs: number) {
    const settings = readTrafficSettings(config);
    return new RegionSimulation({
      // Without the generator there is no scenario: every region is up.
      scenarios: settings?.scenarios ?? [],
      cycleMinutes: settings?.cycleMinutes,
      startedAtMs,
    });
  }

  constructor(options: {
    scenarios: ScenarioName[];
    cycleMinutes?: number;
    startedAtMs: number;
  }) {
    this.scenarios = options.scenarios;
    this.cycleMinutes = options.cycleMinutes;
    this.startedAtMs = options.startedAtMs;
  }

  health(region: string, nowMs = Date.now()): SimulatedHealth {
    const conditions = conditionsAt({
      scenarios: this.scenarios,
      cycleMinutes: this.cycleMinutes,
      startedAtMs: this.startedAtMs,
      nowMs,
    });
    const down = conditions.regionsDown.includes(region as never);
    return {
      region,
      status: down ? 'down' : 'ok',
      httpStatus: down ? 503 : 200,
      scenarios: this.scenarios,
    };
  }
}
