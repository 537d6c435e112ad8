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

  static fromConfig(config: Config, options: { userInfo: UserInfoService }) {
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

    return new TmsPermissionPolicy(options.userInfo, groupRef);
  }

  private constructor(userInfo: UserInfoService, adminGroup: string) {
    this.userInfo = userInfo;
    this.adminGroup = adminGroup;
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
}
