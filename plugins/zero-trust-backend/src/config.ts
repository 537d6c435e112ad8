import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { BlockSettings } from './services/BlockService';
import { DecisionSettings } from './services/DecisionService';
import { SessionSettings } from './services/SessionService';
import { DetectionSettings } from './services/ThreatDetector';

export interface ZeroTrustConfig {
  policiesFile?: string;
  policyRefreshMs: number;
  trustedProxies: string[];
  retentionHours: number;
  detection: DetectionSettings;
  blocks: BlockSettings;
  sessions: SessionSettings;
  decisions: DecisionSettings;
}

function positive(section: Config | undefined, key: string, fallback: number) {
  const value = section?.getOptionalNumber(key) ?? fallback;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new InputError(`zeroTrust.${key} must be above 0, not ${value}`);
  }
  return value;
}

/** Reads the `zeroTrust` section, with its defaults. */
export function readZeroTrustConfig(config: Config): ZeroTrustConfig {
  const section = config.getOptionalConfig('zeroTrust');
  const windowSeconds = positive(section, 'detection.windowSeconds', 60);

  return {
    policiesFile: section?.getOptionalString('policiesFile'),
    policyRefreshMs: positive(section, 'policyRefreshMs', 2000),
    trustedProxies: section?.getOptionalStringArray('trustedProxies') ?? [],
    retentionHours: positive(section, 'retentionHours', 24),
    detection: {
      windowSeconds,
      maxFailuresPerAddress: positive(
        section,
        'detection.maxFailuresPerAddress',
        20,
      ),
      maxFailuresPerUser: positive(section, 'detection.maxFailuresPerUser', 10),
      maxUsersPerAddress: positive(section, 'detection.maxUsersPerAddress', 25),
      maxAttemptsPerAddress: positive(
        section,
        'detection.maxAttemptsPerAddress',
        120,
      ),
      // auth-service logs its own logins; the engine adds threats, blocks
      // and decisions, so that the dashboard counts each login once.
      reportLogins: section?.getOptionalBoolean('events.logins') ?? false,
    },
    blocks: {
      baseSeconds: positive(section, 'blocks.baseSeconds', 900),
      growthFactor: positive(section, 'blocks.growthFactor', 4),
      maxSeconds: positive(section, 'blocks.maxSeconds', 7 * 24 * 3600),
      cacheRefreshMs: positive(section, 'blocks.cacheRefreshMs', 500),
    },
    sessions: {
      idleTimeoutSeconds: positive(
        section,
        'sessions.idleTimeoutSeconds',
        1800,
      ),
      absoluteTimeoutSeconds: positive(
        section,
        'sessions.absoluteTimeoutSeconds',
        12 * 3600,
      ),
      cacheTtlMs: positive(section, 'sessions.cacheTtlMs', 1000),
    },
    decisions: {
      failureWindowSeconds: positive(
        section,
        'decisions.failureWindowSeconds',
        15 * 60,
      ),
      factsCacheMs: positive(section, 'decisions.factsCacheMs', 1000),
      historyCacheMs: positive(section, 'decisions.historyCacheMs', 30_000),
      recordEveryDecision:
        section?.getOptionalBoolean('decisions.recordAllows') ?? true,
      eventsForAllows:
        section?.getOptionalBoolean('events.decisionAllows') ?? true,
    },
  };
}
