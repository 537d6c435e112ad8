import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

const DEFAULT_ADMIN_GROUP = 'group:default/platform-team';

/**
 * Permissions the zero-trust engine decides, so that the portal follows the
 * same rules as the platform: editing its policies, lifting its blocks, and
 * acknowledging, resolving or silencing alerts.
 */
const ZERO_TRUST_DECIDED = new Set([
  'zeroTrust.policy.update',
  'zeroTrust.block.delete',
  'observability.alert.update',
]);

/** How the policy asks the zero-trust engine; see ZeroTrustDecisionClient. */
export interface ZeroTrustDecider {
  decide(request: {
    userEntityRef: string;
    groups: string[];
    action: string;
    resource?: { type?: string };
  }): Promise<{ decision: string; policyId: string }>;
}

/**
 * What any signed-in engineer may do beyond reading: create services from
 * templates and follow their own tasks.
 */
const ENGINEER_PERMISSIONS = new Set([
  'scaffolder.action.execute',
  'scaffolder.task.create',
  'scaffolder.template.dry-run',
]);

/**
 * Changes an engineer may make to catalog entities that their own team owns.
 */
const OWNER_PERMISSIONS = new Set([
  'catalog.entity.refresh',
  'catalog.entity.delete',
]);

/**
 * The TMS Portal's permission policy.
 *
 * - Members of the admin group (the platform team by default) may do
 *   everything.
 * - Every signed-in user may read everything, run software templates,
 *   cancel the tasks they started, and refresh or unregister the catalog
 *   entities their groups own.
 * - Editing zero-trust policies, unblocking addresses and changing alerts
 *   are decided by the zero-trust engine; only its `allow` allows, and an
 *   engine that cannot be asked denies.
 * - Anything else is denied: registering or deleting locations, managing
 *   templates and ingestion, and every permission this policy does not know.
 *
 * Requests without a user (plugin to plugin) never reach a policy.
 *
 * @public
 */
export class TmsPermissionPolicy implements PermissionPolicy {
  private readonly userInfo: UserInfoService;
  private readonly adminGroup: string;
  private readonly zeroTrust?: ZeroTrustDecider;

  static fromConfig(
    config: Config,
    options: { userInfo: UserInfoService; zeroTrust?: ZeroTrustDecider },
  ) {
    const adminGroup =
      config.getOptionalString('permission.tms.adminGroup') ??
      DEFAULT_ADMIN_GROUP;

    let groupRef: string;
    try {
      groupRef = stringifyEntityRef(
        parseEntityRef(adminGroup, { defaultKind: 'group' }),
      );
    } catch (error) {
      throw new InputError(
        `permission.tms.adminGroup '${adminGroup}' is not an entity reference`,
        error,
      );
    }

    return new TmsPermissionPolicy(
      options.userInfo,
      groupRef,
      options.zeroTrust,
    );
  }

  private constructor(
    userInfo: UserInfoService,
    adminGroup: string,
    zeroTrust?: ZeroTrustDecider,
  ) {
    this.userInfo = userInfo;
    this.adminGroup = adminGroup;
    this.zeroTrust = zeroTrust;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;

    if (permission.attributes.action === 'read') {
      return { result: AuthorizeResult.ALLOW };
    }

    if (!user) {
      return { result: AuthorizeResult.DENY };
    }

    const { userEntityRef, ownershipEntityRefs } =
      await this.userInfo.getUserInfo(user.credentials);

    // Before the admin rule: the engine's policies bind admins too.
    if (ZERO_TRUST_DECIDED.has(permission.name)) {
      return this.askZeroTrust(permission.name, {
        userEntityRef,
        groups: ownershipEntityRefs,
        resourceType: isResourcePermission(permission)
          ? permission.resourceType
          : undefined,
      });
    }

    if (ownershipEntityRefs.includes(this.adminGroup)) {
      return { result: AuthorizeResult.ALLOW };
    }

    if (ENGINEER_PERMISSIONS.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }

    if (
      OWNER_PERMISSIONS.has(permission.name) &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }

    // An engineer may cancel the tasks they started, nobody else's.
    if (
      permission.name === 'scaffolder.task.cancel' &&
      isResourcePermission(permission, 'scaffolder-task')
    ) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({ createdBy: [userEntityRef] }),
      );
    }

    return { result: AuthorizeResult.DENY };
  }

  private async askZeroTrust(
    action: string,
    subject: { userEntityRef: string; groups: string[]; resourceType?: string },
  ): Promise<PolicyDecision> {
    if (!this.zeroTrust) {
      return { result: AuthorizeResult.DENY };
    }
    try {
      const { decision } = await this.zeroTrust.decide({
        userEntityRef: subject.userEntityRef,
        groups: subject.groups,
        action,
        resource: subject.resourceType
          ? { type: subject.resourceType }
          : undefined,
      });
      return {
        result:
          decision === 'allow' ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    } catch {
      // Fail closed: an engine that cannot answer allows nothing.
      return { result: AuthorizeResult.DENY };
    }
  }
}
