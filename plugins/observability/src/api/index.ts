export { observabilityApiRef } from './ObservabilityApi';
export type { ObservabilityApi } from './ObservabilityApi';
export { ObservabilityClient } from './ObservabilityClient';
export * from './types';
export { alertUpdatePermission } from './permissions';
