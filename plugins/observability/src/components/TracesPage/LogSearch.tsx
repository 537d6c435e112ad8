import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { LogRecord, observabilityApiRef, SEVERITIES } from '../../api';
import {
  SelectFilter,
  TextFilter,
  useUrlFilters,
  WindowFilter,
} from '../common/Filters';
import { attributeText, formatTime, nanosToMs } from '../common/format';
import { AppLink, useTracesLink } from '../common/links';
import { PolledContent } from '../common/states';
import { resolveWindow, windowName } from '../common/timeWindow';
import { usePolling } from '../common/usePolling';

const PAGE_SIZE = 100;

export function LogSearch() {
  const api = useApi(observabilityApiRef);
  const { get, update } = useUrlFilters();

  const service = get('service');
  const window = windowName(get('window') ?? null);
  const severity = SEVERITIES.find(s => s === get('severity'));
  const text = get('q');
  const traceId = get('traceId');
  const filterKey = JSON.stringify({
    service,
    window,
    severity,
    text,
    traceId,
  });

  // Cursors of the pages before the current one: the engine pages forward
  // (older) only, so going back replays a kept cursor.
  const [pages, setPages] = useState<{ key: string; cursors: string[] }>({
    key: filterKey,
    cursors: [],
  });
  const cursors = pages.key === filterKey ? pages.cursors : [];
  const cursor = cursors[cursors.length - 1];

  const state = usePolling(
    () =>
      api.searchLogs({
        service,
        severity,
        text,
        traceId,
        ...resolveWindow(window),
        limit: PAGE_SIZE,
        cursor,
      }),
    `${filterKey}:${cursor ?? ''}`,
  );

  return (
    <Box>
      <Box display="flex" flexWrap="wrap" style={{ gap: 12 }} mb={2}>
        <TextFilter
          label="Service"
          value={service}
          onChange={value => update({ service: value })}
        />
        <SelectFilter
          label="Severity at least"
          value={severity ?? 'any'}
          options={[
            { value: 'any', label: 'Any' },
            ...SEVERITIES.map(s => ({ value: s, label: s })),
          ]}
          onChange={value =>
            update({ severity: value === 'any' ? undefined : value })
          }
        />
        <TextFilter
          label="Message contains"
          value={text}
          width={220}
          onChange={value => update({ q: value })}
        />
        <TextFilter
          label="Trace id"
          value={traceId}
          width={300}
          onChange={value => update({ traceId: value })}
        />
        <WindowFilter
          value={window}
          onChange={value => update({ window: value })}
        />
      </Box>
      <PolledContent
        state={state}
        isEmpty={page => page.logs.length === 0 && cursors.length === 0}
        emptyTitle="No log records match"
        emptyHint="Widen the time range, lower the severity or clear the text and trace filters. Logs appear once services export them to /api/observability/v1/logs."
      >
        {page => (
          <>
            <LogTable logs={page.logs} />
            <Box display="flex" style={{ gap: 8 }} mt={1}>
              <Button
                size="small"
                disabled={cursors.length === 0}
                onClick={() =>
                  setPages({ key: filterKey, cursors: cursors.slice(0, -1) })
                }
              >
                Newer
              </Button>
              <Button
                size="small"
                disabled={!page.nextCursor}
                onClick={() =>
                  setPages({
                    key: filterKey,
                    cursors: [...cursors, page.nextCursor!],
                  })
                }
              >
                Older
              </Button>
              <Typography variant="body2" color="textSecondary">
                Page {cursors.length + 1}
              </Typography>
            </Box>
          </>
        )}
      </PolledContent>
    </Box>
  );
}

export function LogTable(props: { logs: LogRecord[] }) {
  const tracesLink = useTracesLink();
  return (
    <Table size="small" aria-label="Log records">
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Service</TableCell>
          <TableCell>Severity</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>Trace</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.logs.map((log, index) => (
          <TableRow key={`${log.timeUnixNano}-${index}`} data-testid="log-row">
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {formatTime(nanosToMs(log.timeUnixNano))}
            </TableCell>
            <TableCell>{log.service}</TableCell>
            <TableCell>{log.severityText || log.severityNumber}</TableCell>
            <TableCell style={{ wordBreak: 'break-word' }}>
              {attributeText(log.body)}
            </TableCell>
            <TableCell>
              {log.traceId ? (
                <AppLink
                  href={tracesLink({
                    tab: 'traces',
                    trace: log.traceId,
                    window: '24h',
                  })}
                  aria-label={`Open trace ${log.traceId}`}
                >
                  <code>{log.traceId.slice(0, 12)}…</code>
                </AppLink>
              ) : (
                '—'
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
