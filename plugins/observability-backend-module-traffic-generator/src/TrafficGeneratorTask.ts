import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScenarioName, SCENARIOS } from './scenarios';
import { LoginReporter } from './LoginReporter';
import { OtlpEncoding, TrafficGenerator } from './TrafficGenerator';

const DEFAULTS = {
  requestsPerSecond: 20,
  encoding: 'protobuf' as OtlpEncoding,
  cycleMinutes: 10,
};

export interface TrafficSettings {
  requestsPerSecond: number;
  encoding: OtlpEncoding;
  scenarios: ScenarioName[];
  cycleMinutes: number;
}

/**
 * Reads `observability.trafficGenerator`; undefined when it is off, which
 * it is unless config turns it on.
 */
export function readTrafficSettings(
  config: Config,
): TrafficSettings | undefined {
  const section = config.getOptionalConfig('observability.trafficGenerator');
  if (!section?.getOptionalBoolean('enabled')) {
    return undefined;
  }

  const encoding = section.getOptionalString('encoding') ?? DEFAULTS.encoding;
  if (encoding !== 'json' && encoding !== 'protobuf') {
    throw new InputError(
      `observability.trafficGenerator.encoding must be json or protobuf, not '${encoding}'`,
    );
  }
  const scenarios = section.getOptionalStringArray('scenarios') ?? SCENARIOS;
  const unknown = scenarios.find(s => !SCENARIOS.includes(s as ScenarioName));
  if (unknown) {
    throw new InputError(
      `observability.trafficGenerator.scenarios has no scenario '${unknown}'; choose from ${SCENARIOS.join(
        ', ',
      )}`,
    );
  }
  const requestsPerSecond =
    section.getOptionalNumber('requestsPerSecond') ??
    DEFAULTS.requestsPerSecond;
  if (!(requestsPerSecond > 0)) {
    throw new InputError(
      `observability.trafficGenerator.requestsPerSecond must be above 0, not ${requestsPerSecond}`,
    );
  }

  return {
    requestsPerSecond,
    encoding,
    scenarios: scenarios as ScenarioName[],
    cycleMinutes:
      section.getOptionalNumber('cycleMinutes') ?? DEFAULTS.cycleMinutes,
  };
}

/**
 * Runs the traffic generator inside the backend, sending to this backend's
 * own observability engine with a service token of its own, through the
 * same OTLP route a TMS service uses.
 */
export class TrafficGeneratorTask {
  private readonly settings?: TrafficSettings;
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly logger: LoggerService;
  private generator?: TrafficGenerator;

  static fromConfig(
    config: Config,
    deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {
    return new TrafficGeneratorTask(readTrafficSettings(config), deps);
  }

  private constructor(
    settings: TrafficSettings | undefined,
    deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {
    this.settings = settings;
    this.discovery = deps.discovery;
    this.auth = deps.auth;
    this.logger = deps.logger;
  }

  async start() {
    if (!this.settings) {
      this.logger.info('Traffic generator is off');
      return;
    }

    const endpoint = await this.discovery.getBaseUrl('observability');
    this.generator = TrafficGenerator.create({
      ...this.settings,
      endpoint,
      headers: async () => {
        const { token } = await this.auth.getPluginRequestToken({
          onBehalfOf: await this.auth.getOwnServiceCredentials(),
          targetPluginId: 'observability',
        });
        return { Authorization: `Bearer ${token}` };
      },
      loginReporter: new LoginReporter({
        endpoint: () => this.discovery.getBaseUrl('zero-trust'),
        headers: async () => {
          const { token } = await this.auth.getPluginRequestToken({
            onBehalfOf: await this.auth.getOwnServiceCredentials(),
            targetPluginId: 'zero-trust',
          });
          return { Authorization: `Bearer ${token}` };
        },
      }),
    });
    this.generator.start();
    this.logger.info('Traffic generator started', {
      endpoint,
      ...this.settings,
    });
  }

  async stop() {
    await this.generator?.stop();
  }
}
