import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { ReactNode } from 'react';
import { Polled } from './usePolling';

/**
 * Shows a spinner until the first answer, an error panel when the backend
 * fails, an empty state that says what to do, or else `children(value)`.
 */
export function PolledContent<T>(props: {
  state: Polled<T>;
  isEmpty: (value: T) => boolean;
  emptyTitle: string;
  emptyHint: string;
  children: (value: T) => ReactNode;
}) {
  const { state } = props;
  if (state.error) {
    return <ResponseErrorPanel error={state.error} />;
  }
  if (state.loading || state.value === undefined) {
    return <Progress />;
  }
  if (props.isEmpty(state.value)) {
    return (
      <EmptyState
        missing="data"
        title={props.emptyTitle}
        description={props.emptyHint}
      />
    );
  }
  return <>{props.children(state.value)}</>;
}
