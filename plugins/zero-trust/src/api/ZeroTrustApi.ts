import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AuditEntry,
  AuditVerification,
  Block,
  Decision,
  DecisionRequest,
  PolicySet,
  SecurityDashboard,
} from './types';

/**
 * What the Zero trust page asks: the zero-trust engine for policies,
 * decisions, blocks and the audit log, the observability engine for the
 * security dashboard.
 */
export interface ZeroTrustApi {
  getPolicies(): Promise<PolicySet>;
  /**
   * The engine's decision on a request, as a dry run: nothing is blocked,
   * stored, audited or sent as an event.
   */
  decide(request: DecisionRequest): Promise<Decision>;
  listBlocks(): Promise<Block[]>;
  unblock(address: string): Promise<void>;
  listAudit(options: {
    afterSeq: number;
    limit: number;
  }): Promise<AuditEntry[]>;
  verifyAudit(): Promise<AuditVerification>;
  getSecurityDashboard(window: {
    from: string;
    to: string;
  }): Promise<SecurityDashboard>;
}

export const zeroTrustApiRef = createApiRef<ZeroTrustApi>({
  id: 'plugin.zero-trust.api',
});
