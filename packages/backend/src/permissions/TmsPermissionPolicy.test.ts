import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  taskCancelPermission,
  taskCreatePermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  zeroTrustBlockDeletePermission,
  zeroTrustPolicyUpdatePermission,
} from '@internal/backstage-plugin-zero-trust-backend';
import { TmsPermissionPolicy, ZeroTrustDecider } from './TmsPermissionPolicy';

const PLATFORM_ENGINEER = 'user:default/ingrid.nilsen';
const QUIZ_ENGINEER = 'user:default/kenji.watanabe';

const memberships: Record<string, string[]> = {
  [PLATFORM_ENGINEER]: [PLATFORM_ENGINEER, 'group:default/platform-team'],
  [QUIZ_ENGINEER]: [QUIZ_ENGINEER, 'group:default/learning-team'],
};

function createPolicy(config: object = {}) {
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const userEntityRef = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef, ownershipEntityRefs: memberships[userEntityRef] };
    },
  });

  return TmsPermissionPolicy.fromConfig(new ConfigReader(config), {
    userInfo,
  });
}

function asUser(userEntityRef: string) {
  const credentials = mockCredentials.user(userEntityRef);
  return {
    credentials,
    info: {
      userEntityRef,
      ownershipEntityRefs: memberships[userEntityRef],
    },
  };
}

describe('TmsPermissionPolicy', () => {
  it('lets every engineer read', async () => {
    const policy = createPolicy();

    const decision = await policy.handle(
      { permission: catalogEntityReadPermission },
      asUser(QUIZ_ENGINEER),
    );

    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets every engineer create services from templates', async () => {
    const policy = createPolicy();

    const decision = await policy.handle(
      { permission: taskCreatePermission },
      asUser(QUIZ_ENGINEER),
    );

    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets an engineer unregister only entities their groups own', async () => {
    const policy = createPolicy();

    const decision = await policy.handle(
      { permission: catalogEntityDeletePermission },
      asUser(QUIZ_ENGINEER),
    );

    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: [QUIZ_ENGINEER, 'group:default/learning-team'],
        },
      },
    });
  });

  it('lets an engineer cancel only the tasks they started', async () => {
    const policy = createPolicy();

    const decision = await policy.handle(
      { permission: taskCancelPermission },
      asUser(QUIZ_ENGINEER),
    );

    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'scaffolder',
      resourceType: 'scaffolder-task',
      conditions: {
        rule: 'IS_TASK_OWNER',
        resourceType: 'scaffolder-task',
        params: { createdBy: [QUIZ_ENGINEER] },
      },
    });
  });

  it.each([
    ['register locations', catalogLocationCreatePermission],
    ['delete locations', catalogLocationDeletePermission],
    ['manage templates', templateManagementPermission],
    [
      'use a permission the policy does not know',
      createPermission({
        name: 'tms.unknown.update',
        attributes: { action: 'update' },
      }),
    ],
  ])(
    'denies an engineer outside the platform team to %s',
    async (_, permission) => {
      const policy = createPolicy();

      const decision = await policy.handle(
        { permission },
        asUser(QUIZ_ENGINEER),
      );

      expect(decision).toEqual({ result: AuthorizeResult.DENY });
    },
  );

  it('lets the platform team do everything', async () => {
    const policy = createPolicy();

    const decisions = await Promise.all(
      [catalogLocationCreatePermission, templateManagementPermission].map(
        permission => policy.handle({ permission }, asUser(PLATFORM_ENGINEER)),
      ),
    );

    expect(decisions).toEqual([
      { result: AuthorizeResult.ALLOW },
      { result: AuthorizeResult.ALLOW },
    ]);
  });

  it('takes the admin group from config', async () => {
    const policy = createPolicy({
      permission: { tms: { adminGroup: 'learning-team' } },
    });

    const [quiz, platform] = await Promise.all([
      policy.handle(
        { permission: catalogLocationCreatePermission },
        asUser(QUIZ_ENGINEER),
      ),
      policy.handle(
        { permission: catalogLocationCreatePermission },
        asUser(PLATFORM_ENGINEER),
      ),
    ]);

    expect(quiz).toEqual({ result: AuthorizeResult.ALLOW });
    expect(platform).toEqual({ result: AuthorizeResult.DENY });
  });

  it('names a malformed admin group in its error', () => {
    expect(() =>
      createPolicy({ permission: { tms: { adminGroup: 'group:' } } }),
    ).toThrow("permission.tms.adminGroup 'group:' is not an entity reference");
  });

  it('denies changes when no user is known', async () => {
    const policy = createPolicy();

    const decision = await policy.handle({
      permission: catalogLocationCreatePermission,
    });

    expect(decision).toEqual({ result: AuthorizeResult.DENY });
  });

  describe('permissions the zero-trust engine decides', () => {
    const alertUpdate = createPermission({
      name: 'observability.alert.update',
      attributes: { action: 'update' },
    });

    function withEngine(decide: ZeroTrustDecider['decide']) {
      const userInfo = mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return { userEntityRef: ref, ownershipEntityRefs: memberships[ref] };
        },
      });
      const asked: Parameters<ZeroTrustDecider['decide']>[0][] = [];
      const policy = TmsPermissionPolicy.fromConfig(new ConfigReader({}), {
        userInfo,
        zeroTrust: {
          decide: async request => {
            asked.push(request);
            return decide(request);
          },
        },
      });
      return { policy, asked };
    }

    it('asks the engine with the user, their groups and the action', async () => {
      const { policy, asked } = withEngine(async request => ({
        decision: request.groups.includes('group:default/platform-team')
          ? 'allow'
          : 'deny',
        policyId: 'portal-zero-trust-administration',
      }));

      const [platform, quiz] = await Promise.all([
        policy.handle(
          { permission: zeroTrustBlockDeletePermission },
          asUser(PLATFORM_ENGINEER),
        ),
        policy.handle(
          { permission: zeroTrustBlockDeletePermission },
          asUser(QUIZ_ENGINEER),
        ),
      ]);

      expect(platform).toEqual({ result: AuthorizeResult.ALLOW });
      expect(quiz).toEqual({ result: AuthorizeResult.DENY });
      expect(asked).toContainEqual({
        userEntityRef: PLATFORM_ENGINEER,
        groups: memberships[PLATFORM_ENGINEER],
        action: 'zeroTrust.block.delete',
        resource: undefined,
      });
    });

    it('binds the admin group too, and allows only on allow', async () => {
      const { policy } = withEngine(async () => ({
        decision: 'require_mfa',
        policyId: 'admin-requires-mfa',
      }));

      const decisions = await Promise.all(
        [zeroTrustPolicyUpdatePermission, alertUpdate].map(permission =>
          policy.handle({ permission }, asUser(PLATFORM_ENGINEER)),
        ),
      );

      expect(decisions).toEqual([
        { result: AuthorizeResult.DENY },
        { result: AuthorizeResult.DENY },
      ]);
    });

    it('denies when the engine cannot be asked', async () => {
      const { policy } = withEngine(async () => {
        throw new Error('connect ECONNREFUSED');
      });

      const decision = await policy.handle(
        { permission: alertUpdate },
        asUser(PLATFORM_ENGINEER),
      );

      expect(decision).toEqual({ result: AuthorizeResult.DENY });
    });

    it('leaves other permissions to the rules above', async () => {
      const { policy, asked } = withEngine(async () => ({
        decision: 'deny',
        policyId: 'default-deny',
      }));

      const decision = await policy.handle(
        { permission: taskCreatePermission },
        asUser(QUIZ_ENGINEER),
      );

      expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
      expect(asked).toEqual([]);
    });
  });
});
