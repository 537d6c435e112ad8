import { createPermission } from '@backstage/plugin-permission-common';

/** Storing a new version of the policy set. @public */
export const zeroTrustPolicyUpdatePermission = createPermission({
  name: 'zeroTrust.policy.update',
  attributes: { action: 'update' },
});

/** Lifting the block of an address. @public */
export const zeroTrustBlockDeletePermission = createPermission({
  name: 'zeroTrust.block.delete',
  attributes: { action: 'delete' },
});

/** @public */
export const zeroTrustPermissions = [
  zeroTrustPolicyUpdatePermission,
  zeroTrustBlockDeletePermission,
];
