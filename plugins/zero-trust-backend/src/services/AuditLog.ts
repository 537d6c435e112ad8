import { LoggerService } from '@backstage/backend-plugin-api';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import {
  AuditDraft,
  AuditEntry,
  AuditHead,
  ZeroTrustStore,
} from '../database/ZeroTrustStore';

/** The hash the first entry links to. */
export const GENESIS_HASH = '0'.repeat(64);

const VERIFY_PAGE = 1000;

/**
 * An entry's hash covers its position, time, kind, payload and the previous
 * hash, serialised canonically (RFC 8785), so that storing and reading the
 * payload back, whatever the key order, gives the same hash.
 */
export function hashEntry(entry: Omit<AuditEntry, 'hash'>) {
  const text = canonicalize({
    seq: entry.seq,
    atMs: entry.atMs,
    kind: entry.kind,
    payload: entry.payload,
    prevHash: entry.prevHash,
  });
  return createHash('sha256').update(text!).digest('hex');
}

/** Links drafts onto the chain after `head`. */
export function chainEntries(
  head: AuditHead | undefined,
  drafts: AuditDraft[],
): AuditEntry[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return drafts.map(draft => {
    seq += 1;
    const entry = { seq, ...draft, prevHash };
    const hash = hashEntry(entry);
    prevHash = hash;
    return { ...entry, hash };
  });
}

export interface VerifyResult {
  valid: boolean;
  entries: number;
  head?: AuditHead;
  /** The first problem found, naming the entry. */
  problem?: { seq: number; reason: string };
}

/**
 * The tamper-evident audit log: denials, MFA demands, blocks, unblocks and
 * policy changes. Appends are queued and written in batches, one
 * transaction each, so that a burst of denials does not wait on the
 * database one by one.
 */
export class AuditLog {
  private readonly store: ZeroTrustStore;
  private readonly logger: LoggerService;
  private queue: AuditDraft[] = [];
  private writing?: Promise<void>;
  private failures = 0;
  private lastError?: string;

  static create(options: { store: ZeroTrustStore; logger: LoggerService }) {
    return new AuditLog(options.store, options.logger);
  }

  private constructor(store: ZeroTrustStore, logger: LoggerService) {
    this.store = store;
    this.logger = logger;
  }

  /** Queues an entry; `flush` waits until it is written. */
  append(kind: string, payload: unknown, atMs = Date.now()) {
    this.queue.push({ atMs, kind, payload });
    if (!this.writing) {
      this.writing = this.drain();
    }
  }

  /** Resolves once every entry appended so far is stored. */
  async flush() {
    while (this.writing) {
      await this.writing;
    }
  }

  get health() {
    return {
      pending: this.queue.length,
      failedWrites: this.failures,
      lastError: this.lastError,
    };
  }

  private async drain() {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.write(batch);
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async write(batch: AuditDraft[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.appendAudit(batch, chainEntries);
        return;
      } catch (error) {
        // A conflict with another replica's append is retried; the head
        // row makes the retry link after it.
        if (attempt >= 3) {
          this.failures += 1;
          this.lastError = String(error);
          this.logger.error('Audit entries could not be written', {
            entries: batch.length,
            error: String(error),
          });
          return;
        }
      }
    }
  }

  async list(options: { afterSeq: number; limit: number }) {
    return this.store.listAudit(options);
  }

  /**
   * Walks the whole chain: each entry must follow the previous one by seq,
   * link to its hash and hash to what it says; the last must be the head.
   */
  async verify(): Promise<VerifyResult> {
    const head = await this.store.auditHead();
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let count = 0;

    for (;;) {
      const page = await this.store.listAudit({
        afterSeq: expectedSeq - 1,
        limit: VERIFY_PAGE,
      });
      // listAudit starts after a seq, so a gap shows as a page that does not
      // begin where expected.
      for (const entry of page) {
        if (entry.seq !== expectedSeq) {
          return this.broken(count, head, expectedSeq, 'entry missing');
        }
        if (entry.prevHash !== prevHash) {
          return this.broken(
            count,
            head,
            entry.seq,
            'does not link to the entry before it',
          );
        }
        if (hashEntry(entry) !== entry.hash) {
          return this.broken(
            count,
            head,
            entry.seq,
            'contents do not match its hash',
          );
        }
        prevHash = entry.hash;
        expectedSeq += 1;
        count += 1;
      }
      if (page.length < VERIFY_PAGE) {
        break;
      }
    }

    const lastSeq = expectedSeq - 1;
    if ((head?.seq ?? 0) !== lastSeq) {
      return this.broken(
        count,
        head,
        Math.min(head?.seq ?? 0, lastSeq) + 1,
        (head?.seq ?? 0) > lastSeq
          ? `chain ends at ${lastSeq} but the head says ${head?.seq}`
          : `entries past the head (${head?.seq ?? 0})`,
      );
    }
    if (head && head.hash !== prevHash) {
      return this.broken(
        count,
        head,
        lastSeq,
        'head hash does not match the last entry',
      );
    }
    return { valid: true, entries: count, head };
  }

  private broken(
    entries: number,
    head: AuditHead | undefined,
    seq: number,
    reason: string,
  ): VerifyResult {
    return { valid: false, entries, head, problem: { seq, reason } };
  }
}
