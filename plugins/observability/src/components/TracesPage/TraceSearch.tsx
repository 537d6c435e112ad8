import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { observabilityApiRef, TraceSummary } from '../../api';
import {
  SelectFilter,
  TextFilter,
  useUrlFilters,
  WindowFilter,
} from '../common/Filters';
import { formatMs, formatTime } from '../common/format';
import { AppLink, useTracesLink } from '../common/links';
import { PolledContent } from '../common/states';
import { resolveWindow, windowName } from '../common/timeWindow';
import { usePolling } from '../common/usePolling';
import { filterTraces, numberParam } from './filterTraces';

/**
 * How many traces one search asks for. The engine filters by service and
 * time only, so with the page's own filters set it asks for more, to have
 * enough left after filtering; without them, a page's worth is quicker.
 */
const SEARCH_LIMIT = 100;
const FILTERED_SEARCH_LIMIT = 500;

export function TraceSearch() {
  const api = useApi(observabilityApiRef);
  const { get, update } = useUrlFilters();
  const tracesLink = useTracesLink();

  const service = get('service');
  const window = windowName(get('window') ?? null);
  const filters = {
    operation: get('operation'),
    minMs: numberParam(get('minMs')),
    maxMs: numberParam(get('maxMs')),
    status: (['ok', 'error'] as const).find(s => s === get('status')),
  };

  const filtered = Object.values(filters).some(value => value !== undefined);

  const state = usePolling(
    () =>
      api.searchTraces({
        service,
        ...resolveWindow(window),
        limit: filtered ? FILTERED_SEARCH_LIMIT : SEARCH_LIMIT,
      }),
    JSON.stringify({ service, window, filtered }),
  );

  return (
    <Box>
      <Box display="flex" flexWrap="wrap" style={{ gap: 12 }} mb={2}>
        <TextFilter
          label="Service"
          value={service}
          onChange={value => update({ service: value })}
        />
        <TextFilter
          label="Operation"
          value={filters.operation}
          onChange={value => update({ operation: value })}
        />
        <TextFilter
          label="Min duration (ms)"
          type="number"
          width={150}
          value={get('minMs')}
          onChange={value => update({ minMs: value })}
        />
        <TextFilter
          label="Max duration (ms)"
          type="number"
          width={150}
          value={get('maxMs')}
          onChange={value => update({ maxMs: value })}
        />
        <SelectFilter
          label="Status"
          width={130}
          value={filters.status ?? 'all'}
          options={[
            { value: 'all', label: 'Any' },
            { value: 'ok', label: 'OK' },
            { value: 'error', label: 'Error' },
          ]}
          onChange={value =>
            update({ status: value === 'all' ? undefined : value })
          }
        />
        <WindowFilter
          value={window}
          onChange={value => update({ window: value })}
        />
      </Box>
      <PolledContent
        state={state}
        isEmpty={traces => filterTraces(traces, filters).length === 0}
        emptyTitle="No traces match"
        emptyHint="Widen the time range or clear a filter. Traces appear here once services export spans to /api/observability/v1/traces (locally, start the portal with the traffic generator on)."
      >
        {traces => (
          <TraceTable
            traces={filterTraces(traces, filters)}
            total={traces.length}
            linkTo={traceId =>
              tracesLink({
                tab: 'traces',
                service,
                window,
                operation: filters.operation,
                status: filters.status,
                trace: traceId,
              })
            }
          />
        )}
      </PolledContent>
    </Box>
  );
}

export function TraceTable(props: {
  traces: TraceSummary[];
  total?: number;
  linkTo: (traceId: string) => string | undefined;
}) {
  const { traces, total, linkTo } = props;
  return (
    <>
      {total !== undefined && (
        <Typography variant="body2" color="textSecondary">
          {traces.length} of {total} traces
        </Typography>
      )}
      <Table size="small" aria-label="Traces">
        <TableHead>
          <TableRow>
            <TableCell>Start</TableCell>
            <TableCell>Service</TableCell>
            <TableCell>Operation</TableCell>
            <TableCell>Region</TableCell>
            <TableCell align="right">Duration</TableCell>
            <TableCell align="right">Spans</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Trace</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {traces.map(trace => (
            <TableRow key={trace.traceId} data-testid="trace-row">
              <TableCell>{formatTime(trace.startTimeMs)}</TableCell>
              <TableCell>{trace.rootService}</TableCell>
              <TableCell>{trace.rootName}</TableCell>
              <TableCell>{trace.region ?? '—'}</TableCell>
              <TableCell align="right">{formatMs(trace.durationMs)}</TableCell>
              <TableCell align="right">{trace.spanCount}</TableCell>
              <TableCell>
                {trace.error ? (
                  <Chip size="small" label="Error" color="secondary" />
                ) : (
                  <Chip size="small" label="OK" />
                )}
              </TableCell>
              <TableCell>
                <AppLink
                  href={linkTo(trace.traceId)}
                  aria-label={`Open trace ${trace.traceId}`}
                >
                  <code>{trace.traceId.slice(0, 12)}…</code>
                </AppLink>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
