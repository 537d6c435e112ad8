import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
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
      },
      async init({ policy, userInfo, config }) {
        policy.setPolicy(TmsPermissionPolicy.fromConfig(config, { userInfo }));
      },
    });
  },
});
