/**
 * The TMS zero-trust engine, as a Backstage backend plugin.
 *
 * @packageDocumentation
 */
export { zeroTrustPlugin as default } from './plugin';
export {
  zeroTrustBlockDeletePermission,
  zeroTrustPermissions,
  zeroTrustPolicyUpdatePermission,
} from './permissions';
export { ZeroTrustDecisionClient } from './client/ZeroTrustDecisionClient';
export type { DecisionOutcome } from './policy/types';
