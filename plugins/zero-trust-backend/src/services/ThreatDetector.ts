import { LoggerService } from '@backstage/backend-plugin-api';
import { LoginAttempt, ZeroTrustStore } from '../database/ZeroTrustStore';
import { IMPOSSIBLE_SPEED_KMH, travelSpeedKmh } from '../risk/calculateRisk';
import { AuditLog } from './AuditLog';
import { BlockService } from './BlockService';
import { SecurityEventSender } from './SecurityEventSender';

export interface DetectionSettings {
  /** Length of the sliding window every limit counts over. */
  windowSeconds: number;
  /** Failed logins from one address that make a brute-force attack. */
  maxFailuresPerAddress: number;
  /** Failed logins for one account, from anywhere. */
  maxFailuresPerUser: number;
  /** Distinct accounts failing from one address: credential stuffing. */
  maxUsersPerAddress: number;
  /** Login attempts of any outcome from one address: a volume anomaly. */
  maxAttemptsPerAddress: number;
  /** Whether the engine reports every login as an event of its own. */
  reportLogins: boolean;
}

export type ThreatType =
  | 'brute_force'
  | 'credential_stuffing'
  | 'impossible_travel'
  | 'volume_anomaly';

export interface Threat {
  type: ThreatType;
  detail: string;
  userName?: string;
}

export interface LoginVerdict {
  clientAddress: string;
  blocked: boolean;
  blockExpiresAt?: string;
  threats: Threat[];
}

/**
 * Watches login attempts: each is stored, then the sliding windows over the
 * shared store are counted, so that attempts reported to different
 * replicas add up, and a window is a true sliding one rather than a
 * calendar minute. A limit reached blocks the address at once.
 */
export class ThreatDetector {
  private readonly store: ZeroTrustStore;
  private readonly blocks: BlockService;
  private readonly audit: AuditLog;
  private readonly events: SecurityEventSender;
  private readonly logger: LoggerService;
  private readonly settings: DetectionSettings;

  static create(options: {
    store: ZeroTrustStore;
    blocks: BlockService;
    audit: AuditLog;
    events: SecurityEventSender;
    logger: LoggerService;
    settings: DetectionSettings;
  }) {
    return new ThreatDetector(options);
  }

  private constructor(options: {
    store: ZeroTrustStore;
    blocks: BlockService;
    audit: AuditLog;
    events: SecurityEventSender;
    logger: LoggerService;
    settings: DetectionSettings;
  }) {
    this.store = options.store;
    this.blocks = options.blocks;
    this.audit = options.audit;
    this.events = options.events;
    this.logger = options.logger;
    this.settings = options.settings;
  }

  get windowMs() {
    return this.settings.windowSeconds * 1000;
  }

  async recordLogin(attempt: LoginAttempt): Promise<LoginVerdict> {
    const { clientAddress, userName, atMs } = attempt;

    // Located history is read before this attempt joins it.
    const history =
      attempt.outcome === 'succeeded' && attempt.latitude !== undefined
        ? await this.store.successfulLogins(userName, 1)
        : [];
    await this.store.addLoginAttempt(attempt);
    if (this.settings.reportLogins) {
      this.events.emit(
        attempt.outcome === 'failed'
          ? 'auth.login.failed'
          : 'auth.login.succeeded',
        `Login ${attempt.outcome} for ${userName} from ${clientAddress}`,
        { 'client.address': clientAddress, 'user.name': userName },
        { severity: attempt.outcome === 'failed' ? 'WARN' : 'INFO', atMs },
      );
    }

    const threats = await this.detect(attempt, history);

    let blocked = false;
    let blockExpiresAt: string | undefined;
    const blocking = threats.find(
      t => t.type !== 'impossible_travel' && !t.userName,
    );
    if (blocking) {
      const { block } = await this.blocks.block(
        clientAddress,
        `${blocking.type}: ${blocking.detail}`,
        atMs,
      );
      blocked = true;
      blockExpiresAt = new Date(block.expiresAtMs).toISOString();
    } else {
      blocked = await this.blocks.isBlocked(clientAddress, atMs);
    }
    return { clientAddress, blocked, blockExpiresAt, threats };
  }

  private async detect(attempt: LoginAttempt, history: LoginAttempt[]) {
    const { clientAddress, userName, atMs } = attempt;
    const sinceMs = atMs - this.windowMs;
    const s = this.settings;
    const threats: Threat[] = [];
    const window = `${s.windowSeconds} s`;

    if (attempt.outcome === 'failed') {
      const counts = await this.store.countFailures({
        clientAddress,
        userName,
        sinceMs,
      });
      if (counts.byAddress >= s.maxFailuresPerAddress) {
        threats.push({
          type: 'brute_force',
          detail: `${counts.byAddress} failed logins from ${clientAddress} in ${window} (limit ${s.maxFailuresPerAddress})`,
        });
      } else if (counts.distinctUsersByAddress >= s.maxUsersPerAddress) {
        threats.push({
          type: 'credential_stuffing',
          detail: `${counts.distinctUsersByAddress} accounts failed from ${clientAddress} in ${window} (limit ${s.maxUsersPerAddress})`,
        });
      }
      // Only the attempt that reaches the limit reports an attack on one
      // account; the ones after it would repeat the same news.
      if (counts.byUser === s.maxFailuresPerUser) {
        threats.push({
          type: 'brute_force',
          userName,
          detail: `${counts.byUser} failed logins for ${userName} in ${window} (limit ${s.maxFailuresPerUser})`,
        });
      }
    }

    const attempts = await this.store.countAttemptsByAddress(
      clientAddress,
      sinceMs,
    );
    if (attempts >= s.maxAttemptsPerAddress && threats.length === 0) {
      threats.push({
        type: 'volume_anomaly',
        detail: `${attempts} login attempts from ${clientAddress} in ${window} (limit ${s.maxAttemptsPerAddress})`,
      });
    }

    if (attempt.outcome === 'succeeded') {
      const travel = travelSpeedKmh({
        nowMs: atMs,
        latitude: attempt.latitude,
        longitude: attempt.longitude,
        history,
        failedAttempts: 0,
        blocked: false,
        mfa: false,
      });
      if (travel && travel.speed > IMPOSSIBLE_SPEED_KMH) {
        threats.push({
          type: 'impossible_travel',
          userName,
          detail: `${Math.round(
            travel.km,
          )} km since the last login at ${Math.round(travel.speed)} km/h`,
        });
      }
    }

    for (const threat of threats) {
      await this.report(threat, clientAddress, atMs);
    }
    return threats;
  }

  private async report(threat: Threat, clientAddress: string, atMs: number) {
    // An address already blocked keeps failing while the attacker goes on;
    // its threat was reported when it was blocked.
    if (
      !threat.userName &&
      (await this.blocks.isBlocked(clientAddress, atMs))
    ) {
      return;
    }
    this.logger.warn('Threat detected', {
      type: threat.type,
      address: clientAddress,
      user: threat.userName,
      detail: threat.detail,
    });
    this.audit.append('threat.detected', { clientAddress, ...threat });
    this.events.emit(
      'security.threat.detected',
      `Threat ${threat.type} from ${clientAddress}: ${threat.detail}`,
      {
        'security.threat.type': threat.type,
        'client.address': clientAddress,
        'user.name': threat.userName,
      },
      { severity: 'WARN', atMs },
    );
  }
}
