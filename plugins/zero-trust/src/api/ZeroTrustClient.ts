import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { requestJson } from '@internal/portal-react';
import { ZeroTrustApi } from './ZeroTrustApi';
import {
  AuditEntry,
  AuditVerification,
  Block,
  Decision,
  DecisionRequest,
  PolicySet,
  SecurityDashboard,
} from './types';

/** Talks to the zero-trust and observability backends through Backstage's fetch. */
export class ZeroTrustClient implements ZeroTrustApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getPolicies(): Promise<PolicySet> {
    return this.call<PolicySet>('zero-trust', '/policies');
  }

  async decide(request: DecisionRequest): Promise<Decision> {
    return this.call<Decision>('zero-trust', '/decisions?dryRun=true', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async listBlocks(): Promise<Block[]> {
    const body = await this.call<{ blocks: Block[] }>('zero-trust', '/blocks');
    return body.blocks;
  }

  async unblock(address: string): Promise<void> {
    await this.call('zero-trust', `/blocks/${encodeURIComponent(address)}`, {
      method: 'DELETE',
    });
  }

  async listAudit(options: {
    afterSeq: number;
    limit: number;
  }): Promise<AuditEntry[]> {
    const params = new URLSearchParams({
      afterSeq: String(options.afterSeq),
      limit: String(options.limit),
    });
    const body = await this.call<{ entries: AuditEntry[] }>(
      'zero-trust',
      `/audit?${params}`,
    );
    return body.entries;
  }

  async verifyAudit(): Promise<AuditVerification> {
    return this.call<AuditVerification>('zero-trust', '/audit/verify');
  }

  async getSecurityDashboard(window: {
    from: string;
    to: string;
  }): Promise<SecurityDashboard> {
    const params = new URLSearchParams(window);
    return this.call<SecurityDashboard>(
      'observability',
      `/security/dashboard?${params}`,
    );
  }

  private call<T>(pluginId: string, path: string, init?: RequestInit) {
    return requestJson<T>(this.options, pluginId, path, init);
  }
}
