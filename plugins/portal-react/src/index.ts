/**
 * What the TMS portal pages share: polling a backend with the loading,
 * error and empty states every view shows, and selection kept in the URL.
 *
 * @packageDocumentation
 */
export { POLL_INTERVAL_MS, usePolling } from './usePolling';
export type { Polled } from './usePolling';
export { PolledContent } from './PolledContent';
export { useUrlState } from './useUrlState';
export { requestJson } from './requestJson';
