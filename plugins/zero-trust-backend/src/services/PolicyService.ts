import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ZeroTrustStore } from '../database/ZeroTrustStore';
import { CompiledPolicySet } from '../policy/compilePolicies';
import {
  parsePolicyDocument,
  parsePolicyYaml,
  validatePolicyDocument,
} from '../policy/parsePolicyDocument';
import { DecisionInput, PolicyDocument } from '../policy/types';
import { AuditLog } from './AuditLog';

export function documentHash(document: PolicyDocument) {
  return createHash('sha256').update(canonicalize(document)!).digest('hex');
}

const EMPTY = new CompiledPolicySet({ policies: [] }, 0);

export interface DryRunResult {
  draftPolicies: number;
  evaluated: number;
  changed: number;
  /** Counts of decisions that would move, as `before -> after`. */
  transitions: Record<string, number>;
  changes: {
    decisionId: number;
    atMs: number;
    before: { decision: string; policyId: string };
    after: { decision: string; policyId: string };
  }[];
}

/**
 * The policy set in force: versions in the shared store, the newest in
 * force, compiled once per version. The platform's policy file becomes a
 * new version when its content changes; the API adds versions too.
 */
export class PolicyService {
  private readonly store: ZeroTrustStore;
  private readonly audit: AuditLog;
  private readonly logger: LoggerService;
  private compiled: CompiledPolicySet = EMPTY;
  private fileProblem?: string;

  static create(options: {
    store: ZeroTrustStore;
    audit: AuditLog;
    logger: LoggerService;
  }) {
    return new PolicyService(options.store, options.audit, options.logger);
  }

  private constructor(
    store: ZeroTrustStore,
    audit: AuditLog,
    logger: LoggerService,
  ) {
    this.store = store;
    this.audit = audit;
    this.logger = logger;
  }

  /** The compiled set in force on this replica. */
  get current() {
    return this.compiled;
  }

  get health() {
    return { version: this.compiled.version, fileProblem: this.fileProblem };
  }

  /**
   * Imports the policy file if its content is new, then loads the newest
   * version. A broken file is reported and the stored versions stay in
   * force: a typo in the file must not open or close everything.
   */
  async loadFile(path: string | undefined) {
    if (path) {
      try {
        const document = parsePolicyYaml(await readFile(path, 'utf8'), path);
        const contentHash = documentHash(document);
        const lastFromFile = await this.store.latestPolicyVersion('file');
        if (lastFromFile?.contentHash !== contentHash) {
          await this.save(document, `file:${path}`, 'file', 'policy file');
        }
        this.fileProblem = undefined;
      } catch (error) {
        this.fileProblem = (error as Error).message;
        this.logger.error('Policy file not loaded', {
          path,
          error: this.fileProblem,
        });
      }
    }
    await this.refresh();
  }

  /** Picks up a version another replica stored. */
  async refresh() {
    const latest = await this.store.latestPolicyVersionNumber();
    if (latest !== this.compiled.version) {
      const version = await this.store.getPolicyVersion(latest);
      if (version) {
        this.compiled = new CompiledPolicySet(version.document, latest);
        this.logger.info('Policy set in force', {
          version: latest,
          policies: version.document.policies.length,
        });
      }
    }
    return this.compiled;
  }

  validate(document: unknown) {
    return validatePolicyDocument(document);
  }

  /** Stores a validated document as the newest version and applies it. */
  async update(document: unknown, author: string, comment?: string) {
    const parsed = parsePolicyDocument(document);
    const version = await this.save(parsed, author, 'api', comment);
    await this.refresh();
    return version;
  }

  private async save(
    document: PolicyDocument,
    author: string,
    source: 'file' | 'api',
    comment?: string,
  ) {
    const contentHash = documentHash(document);
    const version = await this.store.addPolicyVersion({
      document,
      contentHash,
      source,
      author,
      comment,
      createdAtMs: Date.now(),
    });
    this.audit.append('policy.changed', {
      version,
      source,
      author,
      comment,
      contentHash,
      policies: document.policies.map(p => p.id),
    });
    return version;
  }

  async versions(limit: number) {
    return this.store.listPolicyVersions(limit);
  }

  async version(version: number) {
    const found = await this.store.getPolicyVersion(version);
    if (!found) {
      throw new NotFoundError(`No policy version ${version}`);
    }
    return found;
  }

  /**
   * Evaluates a draft policy set against recent stored decisions and
   * reports which would come out differently.
   */
  async dryRun(
    draft: unknown,
    options: { sinceMs: number; limit: number },
  ): Promise<DryRunResult> {
    const document = parsePolicyDocument(draft);
    const compiled = new CompiledPolicySet(document, -1);
    const decisions = await this.store.recentDecisions(options);

    const transitions: Record<string, number> = {};
    const changes: DryRunResult['changes'] = [];
    for (const stored of decisions) {
      const after = compiled.evaluate(stored.input as DecisionInput);
      if (
        after.decision !== stored.decision ||
        after.policyId !== stored.policyId
      ) {
        const key = `${stored.decision} -> ${after.decision}`;
        transitions[key] = (transitions[key] ?? 0) + 1;
        if (changes.length < 100) {
          changes.push({
            decisionId: stored.id,
            atMs: stored.atMs,
            before: { decision: stored.decision, policyId: stored.policyId },
            after: { decision: after.decision, policyId: after.policyId! },
          });
        }
      }
    }
    return {
      draftPolicies: document.policies.length,
      evaluated: decisions.length,
      changed: Object.values(transitions).reduce((a, b) => a + b, 0),
      transitions,
      changes,
    };
  }
}
