import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseDuration } from './durations';

export interface AlertsConfig {
  evaluationIntervalMs: number;
  resendIntervalMs: number;
  rules: unknown[];
  alertmanagerUrl?: string;
  webhooks: Array<{ name: string; url: string }>;
  notifyOwners: boolean;
  burnRateAlerts: boolean;
  longWindowRefreshMs: number;
  /** Requests (or KPI events) a burn-rate window needs before it can fire. */
  minRequests: number;
}

function checkUrl(url: string, field: string) {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error('not http');
    }
  } catch {
    throw new InputError(`${field} must be an http(s) URL, not '${url}'`);
  }
  return url;
}

/**
 * One failure among this many requests burns a 99.9% budget 5 times over:
 * under the 6 of the medium tier, so that a single failed call does not
 * page a service with little traffic.
 */
export const DEFAULT_MIN_REQUESTS = 200;

function readMinRequests(slos: Config | undefined) {
  const value = slos?.getOptionalNumber('minRequests') ?? DEFAULT_MIN_REQUESTS;
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new InputError(
      `observability.slos.minRequests must be a whole number of 0 or more, not ${value}`,
    );
  }
  return value;
}

/** Reads `observability.alerts` and the SLO evaluation settings. */
export function readAlertsConfig(config: Config): AlertsConfig {
  const alerts = config.getOptionalConfig('observability.alerts');
  const slos = config.getOptionalConfig('observability.slos');
  const duration = (
    section: Config | undefined,
    key: string,
    fallback: string,
    prefix: string,
  ) =>
    parseDuration(
      section?.getOptionalString(key) ?? fallback,
      `${prefix}.${key}`,
    );

  const alertmanager = alerts?.getOptionalString('alertmanager.url');
  const webhooks = (alerts?.getOptionalConfigArray('webhooks') ?? []).map(
    (hook, i) => ({
      name: `webhook:${hook.getString('name')}`,
      url: checkUrl(
        hook.getString('url'),
        `observability.alerts.webhooks[${i}].url`,
      ),
    }),
  );

  return {
    evaluationIntervalMs: duration(
      alerts,
      'evaluationInterval',
      '1s',
      'observability.alerts',
    ),
    resendIntervalMs: duration(
      alerts,
      'resendInterval',
      '1m',
      'observability.alerts',
    ),
    rules: (alerts?.getOptional<unknown[]>('rules') ?? []) as unknown[],
    alertmanagerUrl: alertmanager
      ? checkUrl(alertmanager, 'observability.alerts.alertmanager.url')
      : undefined,
    webhooks,
    notifyOwners: alerts?.getOptionalBoolean('notifyOwners') ?? true,
    burnRateAlerts: slos?.getOptionalBoolean('burnRateAlerts') ?? true,
    minRequests: readMinRequests(slos),
    longWindowRefreshMs: duration(
      slos,
      'longWindowRefresh',
      '1m',
      'observability.slos',
    ),
  };
}
