import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Acting on alerts: acknowledging, resolving, silencing and managing the
 * rules. A basic permission, decided by the portal's permission policy.
 */
export const alertUpdatePermission = createPermission({
  name: 'observability.alert.update',
  attributes: { action: 'update' },
});

export const alertPermissions = [alertUpdatePermission];
