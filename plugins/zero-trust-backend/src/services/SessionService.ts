import { NotFoundError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { Session, ZeroTrustStore } from '../database/ZeroTrustStore';
import { AuditLog } from './AuditLog';

export interface SessionSettings {
  idleTimeoutSeconds: number;
  absoluteTimeoutSeconds: number;
  /**
   * How long a looked-up session is served from this replica's memory: the
   * bound on how long a revocation on another replica can go unseen here.
   */
  cacheTtlMs: number;
}

export type SessionStatus = 'active' | 'revoked' | 'idle_expired' | 'expired';

export interface SessionView extends Session {
  status: SessionStatus;
  ageSeconds: number;
  expiresAtMs: number;
}

const MAX_CACHED = 50_000;

/** Sessions of the TMS platform's users, with idle and absolute expiry. */
export class SessionService {
  private readonly store: ZeroTrustStore;
  private readonly audit: AuditLog;
  private readonly settings: SessionSettings;
  private readonly cache = new Map<
    string,
    { session: Session; fetchedAtMs: number }
  >();

  static create(options: {
    store: ZeroTrustStore;
    audit: AuditLog;
    settings: SessionSettings;
  }) {
    return new SessionService(options.store, options.audit, options.settings);
  }

  private constructor(
    store: ZeroTrustStore,
    audit: AuditLog,
    settings: SessionSettings,
  ) {
    this.store = store;
    this.audit = audit;
    this.settings = settings;
  }

  async create(options: {
    userName: string;
    clientAddress?: string;
    deviceId?: string;
    mfa: boolean;
    nowMs?: number;
  }): Promise<SessionView> {
    const nowMs = options.nowMs ?? Date.now();
    const session: Session = {
      id: randomUUID(),
      userName: options.userName,
      clientAddress: options.clientAddress,
      deviceId: options.deviceId,
      mfa: options.mfa,
      createdAtMs: nowMs,
      lastSeenAtMs: nowMs,
    };
    await this.store.createSession(session);
    this.remember(session, nowMs);
    return this.view(session, nowMs);
  }

  /**
   * A session as this replica knows it; a cached copy is at most
   * `cacheTtlMs` old.
   */
  async lookup(id: string, nowMs = Date.now()): Promise<SessionView> {
    const cached = this.cache.get(id);
    if (cached && nowMs - cached.fetchedAtMs <= this.settings.cacheTtlMs) {
      return this.view(cached.session, nowMs);
    }
    const session = await this.store.getSession(id);
    if (!session) {
      this.cache.delete(id);
      throw new NotFoundError(`No session '${id}'`);
    }
    this.remember(session, nowMs);
    return this.view(session, nowMs);
  }

  /** Marks the session as used now, restarting its idle timeout. */
  async refresh(id: string, nowMs = Date.now()) {
    this.cache.delete(id);
    const current = await this.lookup(id, nowMs);
    if (current.status !== 'active') {
      return current;
    }
    await this.store.touchSession(id, nowMs);
    const session = { ...current, lastSeenAtMs: nowMs };
    this.remember(session, nowMs);
    return this.view(session, nowMs);
  }

  async revoke(id: string, by: string, nowMs = Date.now()) {
    const revoked = await this.store.revokeSession(id, nowMs);
    this.cache.delete(id);
    if (!revoked) {
      const exists = await this.store.getSession(id);
      if (!exists) {
        throw new NotFoundError(`No session '${id}'`);
      }
    } else {
      this.audit.append('session.revoked', { sessionId: id, by });
    }
    return this.lookup(id, nowMs);
  }

  private remember(session: Session, nowMs: number) {
    if (this.cache.size >= MAX_CACHED) {
      this.cache.clear();
    }
    this.cache.set(session.id, { session, fetchedAtMs: nowMs });
  }

  private view(session: Session, nowMs: number): SessionView {
    const { idleTimeoutSeconds, absoluteTimeoutSeconds } = this.settings;
    const absoluteEnd = session.createdAtMs + absoluteTimeoutSeconds * 1000;
    const idleEnd = session.lastSeenAtMs + idleTimeoutSeconds * 1000;

    let status: SessionStatus = 'active';
    if (session.revokedAtMs !== undefined) {
      status = 'revoked';
    } else if (nowMs >= absoluteEnd) {
      status = 'expired';
    } else if (nowMs >= idleEnd) {
      status = 'idle_expired';
    }
    return {
      ...session,
      status,
      ageSeconds: Math.floor((nowMs - session.createdAtMs) / 1000),
      expiresAtMs: Math.min(absoluteEnd, idleEnd),
    };
  }
}
