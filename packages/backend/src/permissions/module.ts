import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ZeroTrustDecisionClient } from '@internal/backstage-plugin-zero-trust-backend';
import { TmsPermissionPolicy } from './TmsPermissionPolicy';

/**
 * Installs {@link TmsPermissionPolicy} as the portal's permission policy.
 *
 * @public
 */
export const tmsPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'tms-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ policy, userInfo, config, discovery, auth }) {
        const zeroTrust = new ZeroTrustDecisionClient({ discovery, auth });
        policy.setPolicy(
          TmsPermissionPolicy.fromConfig(config, { userInfo, zeroTrust }),
        );
      },
    });
  },
});
