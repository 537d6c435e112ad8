export { tmsPermissionPolicyModule as default } from './module';
