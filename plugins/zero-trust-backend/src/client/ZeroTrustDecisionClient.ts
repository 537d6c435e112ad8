import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { DecisionOutcome } from '../policy/types';

/** What the portal asks the engine about one of its own users. */
export interface PortalDecisionRequest {
  userEntityRef: string;
  groups: string[];
  action: string;
  resource?: { type?: string; service?: string; path?: string };
}

/**
 * Asks the zero-trust engine for a decision from another plugin, with that
 * plugin's own service token; the portal's permission policy uses it so
 * that the portal follows the engine's rules.
 *
 * @public
 */
export class ZeroTrustDecisionClient {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
  }

  async decide(request: PortalDecisionRequest): Promise<{
    decision: DecisionOutcome;
    policyId: string;
  }> {
    const baseUrl = await this.discovery.getBaseUrl('zero-trust');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'zero-trust',
    });
    const response = await fetch(`${baseUrl}/decisions?explain=false`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        subject: { user: request.userEntityRef, groups: request.groups },
        action: request.action,
        resource: request.resource ?? {},
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = (await response.json()) as {
      decision: DecisionOutcome;
      policyId: string;
    };
    return { decision: body.decision, policyId: body.policyId };
  }
}
