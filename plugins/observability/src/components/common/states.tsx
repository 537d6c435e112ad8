import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { ReactNode } from 'react';
import { PolledState } from './usePolling';

/**
 * The loading, error and empty states every view shares. Renders
 * `children(value)` only when there is something to show.
 */
export function PolledContent<T>(props: {
  state: PolledState<T>;
  isEmpty: (value: T) => boolean;
  emptyTitle: string;
  emptyHint: string;
  children: (value: T) => ReactNode;
}) {
  const { state, isEmpty, emptyTitle, emptyHint, children } = props;

  if (state.error) {
    return <ResponseErrorPanel error={state.error} />;
  }
  if (state.loading || state.value === undefined) {
    return <Progress />;
  }
  if (isEmpty(state.value)) {
    return (
      <EmptyState missing="data" title={emptyTitle} description={emptyHint} />
    );
  }
  return <>{children(state.value)}</>;
}
