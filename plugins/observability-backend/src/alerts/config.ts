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
    longWindowRefreshMs: duration(
      slos,
      'longWindowRefresh',
      '1m',
      'observability.slos',
    ),
  };
}
