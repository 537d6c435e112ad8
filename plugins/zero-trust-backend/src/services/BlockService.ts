import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { Block, ZeroTrustStore } from '../database/ZeroTrustStore';
import { AuditLog } from './AuditLog';
import { SecurityEventSender } from './SecurityEventSender';

export interface BlockSettings {
  /** How long a first block lasts. */
  baseSeconds: number;
  /** Each repeat offence multiplies the length by this... */
  growthFactor: number;
  /** ...up to this. */
  maxSeconds: number;
  /** How stale this replica's copy of the block list may be. */
  cacheRefreshMs: number;
}

/** How long the block for an address's n-th offence lasts. */
export function blockSeconds(settings: BlockSettings, offences: number) {
  return Math.min(
    settings.baseSeconds * settings.growthFactor ** (offences - 1),
    settings.maxSeconds,
  );
}

/**
 * Blocks and unblocks addresses in the shared store. Decisions read a copy
 * of the active blocks that is at most `cacheRefreshMs` old, so a block made
 * by another replica applies here within that bound, and one made here
 * applies at once.
 */
export class BlockService {
  private readonly store: ZeroTrustStore;
  private readonly audit: AuditLog;
  private readonly events: SecurityEventSender;
  private readonly logger: LoggerService;
  private readonly settings: BlockSettings;
  private active = new Map<string, number>();
  private loadedAtMs = -Infinity;
  private loading?: Promise<void>;

  static create(options: {
    store: ZeroTrustStore;
    audit: AuditLog;
    events: SecurityEventSender;
    logger: LoggerService;
    settings: BlockSettings;
  }) {
    return new BlockService(options);
  }

  private constructor(options: {
    store: ZeroTrustStore;
    audit: AuditLog;
    events: SecurityEventSender;
    logger: LoggerService;
    settings: BlockSettings;
  }) {
    this.store = options.store;
    this.audit = options.audit;
    this.events = options.events;
    this.logger = options.logger;
    this.settings = options.settings;
  }

  /** Whether the address is blocked now, from the cached list. */
  async isBlocked(address: string | undefined, nowMs = Date.now()) {
    if (!address) {
      return false;
    }
    if (nowMs - this.loadedAtMs > this.settings.cacheRefreshMs) {
      await this.reload(nowMs);
    }
    const expiresAtMs = this.active.get(address);
    return expiresAtMs !== undefined && expiresAtMs > nowMs;
  }

  private async reload(nowMs: number) {
    // Concurrent decisions share one query.
    if (!this.loading) {
      this.loading = this.store
        .listActiveBlocks(nowMs)
        .then(blocks => {
          this.active = new Map(
            blocks.map(b => [b.clientAddress, b.expiresAtMs]),
          );
          this.loadedAtMs = nowMs;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    await this.loading;
  }

  async list(nowMs = Date.now()) {
    return this.store.listActiveBlocks(nowMs);
  }

  /**
   * Blocks an address unless it is blocked already; the block lasts longer
   * for each earlier offence. Returns the block and whether it is new.
   */
  async block(
    address: string,
    reason: string,
    nowMs = Date.now(),
  ): Promise<{ block: Block; created: boolean }> {
    const result = await this.store.blockAddress(address, current => {
      const stillActive =
        current &&
        current.unblockedAtMs === undefined &&
        current.expiresAtMs > nowMs;
      if (stillActive) {
        return undefined;
      }
      const offences = (current?.offences ?? 0) + 1;
      return {
        clientAddress: address,
        reason,
        offences,
        blockedAtMs: nowMs,
        expiresAtMs: nowMs + blockSeconds(this.settings, offences) * 1000,
      };
    });

    const { block, created } = result;
    this.active.set(address, block.expiresAtMs);
    if (created) {
      const expiresAt = new Date(block.expiresAtMs).toISOString();
      this.logger.warn('Blocked address', {
        address,
        reason,
        offences: block.offences,
        expiresAt,
      });
      this.audit.append('ip.blocked', {
        clientAddress: address,
        reason,
        offences: block.offences,
        expiresAt,
      });
      this.events.emit(
        'security.ip.blocked',
        `Blocked ${address} until ${expiresAt}: ${reason}`,
        {
          'client.address': address,
          'security.block.expires_at': expiresAt,
          'security.block.reason': reason,
        },
        { severity: 'WARN', atMs: nowMs },
      );
    }
    return result;
  }

  async unblock(address: string, by: string, nowMs = Date.now()) {
    const block = await this.store.unblockAddress(address, {
      atMs: nowMs,
      by,
    });
    if (!block) {
      throw new NotFoundError(`Address '${address}' is not blocked`);
    }
    this.active.delete(address);
    this.logger.info('Unblocked address', { address, by });
    this.audit.append('ip.unblocked', { clientAddress: address, by });
    this.events.emit(
      'security.ip.unblocked',
      `Unblocked ${address} by ${by}`,
      { 'client.address': address },
      { atMs: nowMs },
    );
    return block;
  }
}
