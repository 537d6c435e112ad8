/**
 * Generates the TMS platform config in deploy/platform/ and holds the tests
 * that check everything under deploy/.
 *
 * @packageDocumentation
 */
export {
  generatePlatformFiles,
  GENERATED_DIRS,
} from './platform/platformFiles';
export type { PlatformFile } from './platform/platformFiles';
export { readTmsServices } from './platform/tmsServices';
export type { TmsService } from './platform/tmsServices';
