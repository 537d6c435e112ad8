import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useCallback, useEffect, useId, useState } from 'react';
import { WINDOWS, windowName } from './timeWindow';

/**
 * The page's filters, kept in the URL so that a link shares them. Setting a
 * value to undefined or '' removes it.
 */
export function useUrlFilters() {
  const [params, setParams] = useAppSearchParams();

  const update = useCallback(
    (changes: Record<string, string | undefined>) => {
      setParams(
        previous => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(changes)) {
            if (value === undefined || value === '') {
              next.delete(key);
            } else {
              next.set(key, value);
            }
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const get = useCallback(
    (key: string) => params.get(key) ?? undefined,
    [params],
  );
  return { get, update };
}

/**
 * A text filter that updates the URL when the user presses Enter or leaves
 * the field, not on every key, so that typing does not send a request per
 * letter.
 */
export function TextFilter(props: {
  label: string;
  value?: string;
  onChange: (value: string | undefined) => void;
  type?: 'text' | 'number';
  width?: number;
}) {
  const { label, value, onChange, type = 'text', width = 180 } = props;
  const [draft, setDraft] = useState(value ?? '');
  // An id ties the label to the input, for screen readers and tests.
  const id = useId();

  useEffect(() => setDraft(value ?? ''), [value]);

  const commit = () => {
    const trimmed = draft.trim();
    if (trimmed !== (value ?? '')) {
      onChange(trimmed || undefined);
    }
  };

  return (
    <TextField
      id={id}
      label={label}
      type={type}
      value={draft}
      size="small"
      variant="outlined"
      style={{ width }}
      onChange={event => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={event => {
        if (event.key === 'Enter') {
          commit();
        }
      }}
    />
  );
}

export function SelectFilter(props: {
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
  width?: number;
}) {
  const { label, value, options, onChange, width = 180 } = props;
  return (
    <TextField
      select
      label={label}
      value={value}
      size="small"
      variant="outlined"
      style={{ width }}
      onChange={event => onChange(event.target.value)}
    >
      {options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

export function WindowFilter(props: {
  value?: string;
  onChange: (value: string) => void;
}) {
  return (
    <SelectFilter
      label="Time range"
      value={windowName(props.value ?? null)}
      options={Object.entries(WINDOWS).map(([value, { label }]) => ({
        value,
        label,
      }))}
      onChange={props.onChange}
    />
  );
}
