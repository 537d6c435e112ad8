import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ZeroTrustConfig } from './config';
import { ZeroTrustStore } from './database/ZeroTrustStore';
import { AuditLog } from './services/AuditLog';
import { BlockService } from './services/BlockService';
import { ClientAddressResolver } from './services/ClientAddressResolver';
import { DecisionService } from './services/DecisionService';
import { PolicyService } from './services/PolicyService';
import { SecurityEventSender } from './services/SecurityEventSender';
import { SessionService } from './services/SessionService';
import { ThreatDetector } from './services/ThreatDetector';

export type ZeroTrustEngine = ReturnType<typeof createEngine>;

/**
 * Builds the engine's services over one store. Each call is one replica:
 * tests build two over the same database to play two.
 */
export function createEngine(options: {
  store: ZeroTrustStore;
  config: ZeroTrustConfig;
  logger: LoggerService;
  discovery: DiscoveryService;
  auth: AuthService;
  fetch?: typeof fetch;
}) {
  const { store, config, logger, discovery, auth } = options;

  const events = SecurityEventSender.create({
    discovery,
    auth,
    logger,
    fetch: options.fetch,
  });
  const audit = AuditLog.create({ store, logger });
  const policies = PolicyService.create({ store, audit, logger });
  const blocks = BlockService.create({
    store,
    audit,
    events,
    logger,
    settings: config.blocks,
  });
  const sessions = SessionService.create({
    store,
    audit,
    settings: config.sessions,
  });
  const detector = ThreatDetector.create({
    store,
    blocks,
    audit,
    events,
    logger,
    settings: config.detection,
  });
  const decisions = DecisionService.create({
    store,
    policies,
    blocks,
    sessions,
    audit,
    events,
    logger,
    settings: config.decisions,
  });
  const addresses = ClientAddressResolver.create(config.trustedProxies);

  let refreshTimer: NodeJS.Timeout | undefined;

  return {
    store,
    events,
    audit,
    policies,
    blocks,
    sessions,
    detector,
    decisions,
    addresses,

    /** Loads the policies and starts following versions stored elsewhere. */
    async start() {
      await policies.loadFile(config.policiesFile);
      refreshTimer = setInterval(() => {
        policies
          .refresh()
          .catch(error =>
            logger.warn('Policy refresh failed', { error: String(error) }),
          );
      }, config.policyRefreshMs);
      refreshTimer.unref?.();
    },

    /** Writes what is buffered and stops the timers. */
    async stop() {
      clearInterval(refreshTimer);
      await decisions.flush();
      await audit.flush();
      await events.close();
    },

    /** Deletes login attempts and decisions past the retention. */
    async prune(nowMs = Date.now()) {
      const before = nowMs - config.retentionHours * 3600_000;
      const attempts = await store.deleteLoginAttemptsBefore(before);
      const stored = await store.deleteDecisionsBefore(before);
      return { attempts, decisions: stored };
    },
  };
}
