import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** What a service in a region promises. */
export interface SloTargets {
  /** Share of requests that succeed, 0 to 1. */
  availability: number;
  /** Duration that 95% of requests stay under. */
  p95Ms: number;
  /** Share of requests that may fail, 0 to 1. */
  errorRate: number;
  periodDays: number;
}

/** The platform's SLA for every service in every region. */
export const DEFAULT_SLO_TARGETS: SloTargets = {
  availability: 0.999,
  p95Ms: 2000,
  errorRate: 0.01,
  periodDays: 30,
};

/** Catalog annotations on a Component that override its SLO targets. */
export const SLO_ANNOTATIONS = {
  availability: 'tms.example.com/slo-availability',
  p95Ms: 'tms.example.com/slo-p95-ms',
  errorRate: 'tms.example.com/slo-error-rate',
} as const;

type Partial_ = Partial<SloTargets>;

function checkTargets(targets: Partial_, where: string) {
  const fraction = (name: 'availability' | 'errorRate') => {
    const value = targets[name];
    if (value !== undefined && !(value > 0 && value < 1)) {
      throw new InputError(
        `${where}.${name} must be between 0 and 1 (exclusive), not ${value}`,
      );
    }
  };
  fraction('availability');
  fraction('errorRate');
  if (targets.p95Ms !== undefined && !(targets.p95Ms > 0)) {
    throw new InputError(
      `${where}.p95Ms must be above 0, not ${targets.p95Ms}`,
    );
  }
  if (
    targets.periodDays !== undefined &&
    !(Number.isInteger(targets.periodDays) && targets.periodDays > 0)
  ) {
    throw new InputError(
      `${where}.periodDays must be a positive whole number, not ${targets.periodDays}`,
    );
  }
  return targets;
}

function readTargets(config: Config | undefined, where: string): Partial_ {
  if (!config) {
    return {};
  }
  const targets: Partial_ = {};
  for (const key of [
    'availability',
    'p95Ms',
    'errorRate',
    'periodDays',
  ] as const) {
    const value = config.getOptionalNumber(key);
    if (value !== undefined) {
      targets[key] = value;
    }
  }
  return checkTargets(targets, where);
}

/**
 * Reads annotation values: availability and error rate in percent (as
 * people write them, `99.95`), p95 in milliseconds. A malformed value is
 * reported and left out.
 */
export function readAnnotations(
  annotations: Record<string, string>,
  service: string,
): { targets: Partial_; problems: string[] } {
  const targets: Partial_ = {};
  const problems: string[] = [];
  const read = (key: 'availability' | 'p95Ms' | 'errorRate', scale: number) => {
    const text = annotations[SLO_ANNOTATIONS[key]];
    if (text === undefined) {
      return;
    }
    const value = Number(text) / scale;
    try {
      checkTargets({ [key]: value }, `annotation ${SLO_ANNOTATIONS[key]}`);
      if (text.trim() === '' || !Number.isFinite(value)) {
        throw new InputError(`'${text}' is not a number`);
      }
      targets[key] = value;
    } catch (error) {
      problems.push(
        `component ${service}: ${SLO_ANNOTATIONS[key]} '${text}' ignored: ${
          (error as Error).message
        }`,
      );
    }
  };
  read('availability', 100);
  read('p95Ms', 1);
  read('errorRate', 100);
  return { targets, problems };
}

/**
 * SLO targets per service and region: the defaults, then the catalog
 * annotations of the service's Component, then `observability.slos
 * .services.<service>` and its `regions.<region>` in config.
 */
export class SloTargetResolver {
  private constructor(
    private readonly defaults: SloTargets,
    private readonly services: Map<
      string,
      { targets: Partial_; regions: Map<string, Partial_> }
    >,
  ) {}

  static fromConfig(config: Config): SloTargetResolver {
    const section = config.getOptionalConfig('observability.slos');
    const defaults = {
      ...DEFAULT_SLO_TARGETS,
      ...readTargets(
        section?.getOptionalConfig('defaults'),
        'observability.slos.defaults',
      ),
    };

    const services = new Map<
      string,
      { targets: Partial_; regions: Map<string, Partial_> }
    >();
    const servicesConfig = section?.getOptionalConfig('services');
    for (const service of servicesConfig?.keys() ?? []) {
      const where = `observability.slos.services.${service}`;
      const serviceConfig = servicesConfig!.getConfig(service);
      const regions = new Map<string, Partial_>();
      const regionsConfig = serviceConfig.getOptionalConfig('regions');
      for (const region of regionsConfig?.keys() ?? []) {
        regions.set(
          region,
          readTargets(
            regionsConfig!.getConfig(region),
            `${where}.regions.${region}`,
          ),
        );
      }
      services.set(service, {
        targets: readTargets(serviceConfig, where),
        regions,
      });
    }
    return new SloTargetResolver(defaults, services);
  }

  targetsFor(
    service: string,
    region: string,
    fromAnnotations: Partial_ = {},
  ): SloTargets {
    const configured = this.services.get(service);
    return {
      ...this.defaults,
      ...fromAnnotations,
      ...configured?.targets,
      ...configured?.regions.get(region),
    };
  }

  /** Every period any service may use, for the longest window to read. */
  periodsDays(): number[] {
    const periods = new Set([this.defaults.periodDays]);
    for (const { targets, regions } of this.services.values()) {
      if (targets.periodDays) periods.add(targets.periodDays);
      for (const r of regions.values()) {
        if (r.periodDays) periods.add(r.periodDays);
      }
    }
    return [...periods];
  }
}
