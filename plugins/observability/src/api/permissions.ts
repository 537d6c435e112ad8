import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Acknowledging, resolving and silencing alerts. The same basic permission
 * the engine checks (observability-backend's alerts/permissions.ts); the
 * pages ask it first only to hide what the user may not do.
 */
export const alertUpdatePermission = createPermission({
  name: 'observability.alert.update',
  attributes: { action: 'update' },
});
