import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import { Attributes, observabilityApiRef, Span } from '../../api';
import { attributeText, formatMs, formatTime } from '../common/format';
import { AppLink, useTracesLink } from '../common/links';
import { PolledContent } from '../common/states';
import { usePolling } from '../common/usePolling';
import { buildWaterfall, Waterfall } from './spanTree';

const KIND_NAMES = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    alignItems: 'center',
    cursor: 'pointer',
    minHeight: 26,
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:hover': { background: theme.palette.action.hover },
  },
  selected: { background: theme.palette.action.selected },
  label: {
    width: 320,
    flexShrink: 0,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
    fontSize: 13,
  },
  track: { position: 'relative', flexGrow: 1, height: 16 },
  bar: {
    position: 'absolute',
    top: 2,
    height: 12,
    minWidth: 2,
    borderRadius: 2,
    background: theme.palette.primary.main,
  },
  errorBar: { background: theme.palette.error.main },
  axis: {
    display: 'flex',
    marginLeft: 320,
    justifyContent: 'space-between',
    fontSize: 11,
    color: theme.palette.text.secondary,
  },
}));

/** One trace: its waterfall, and the selected span's attributes. */
export function TraceView(props: { traceId: string; onClose?: () => void }) {
  const { traceId, onClose } = props;
  const api = useApi(observabilityApiRef);
  const tracesLink = useTracesLink();
  const state = usePolling(() => api.getTrace(traceId), traceId);

  return (
    <Paper variant="outlined" style={{ padding: 16, marginBottom: 16 }}>
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={1}>
        <Typography variant="h6" component="h2">
          Trace <code>{traceId}</code>
        </Typography>
        <AppLink href={tracesLink({ tab: 'logs', traceId, window: '24h' })}>
          Logs of this trace
        </AppLink>
        {onClose && (
          <Button size="small" onClick={onClose}>
            Close
          </Button>
        )}
      </Box>
      <PolledContent
        state={state}
        isEmpty={trace => trace.spans.length === 0}
        emptyTitle="This trace has no spans"
        emptyHint="Its spans may not have arrived yet, or were removed by retention; try again shortly."
      >
        {trace => <WaterfallView waterfall={buildWaterfall(trace.spans)} />}
      </PolledContent>
    </Paper>
  );
}

export function WaterfallView(props: { waterfall: Waterfall }) {
  const { waterfall } = props;
  const classes = useStyles();
  const [selectedId, setSelectedId] = useState<string>();
  const selected =
    waterfall.rows.find(row => row.span.spanId === selectedId)?.span ??
    waterfall.rows[0]?.span;
  const ticks = [0, 0.25, 0.5, 0.75, 1];

  return (
    <Box display="flex" style={{ gap: 16 }} flexWrap="wrap">
      <Box flexGrow={1} minWidth={500} role="tree" aria-label="Span waterfall">
        <Typography variant="body2" color="textSecondary">
          {waterfall.rows.length} spans, {formatMs(waterfall.totalMs)}, started{' '}
          {formatTime(waterfall.startMs)}
        </Typography>
        <div className={classes.axis} aria-hidden>
          {ticks.map(tick => (
            <span key={tick}>{formatMs(tick * waterfall.totalMs)}</span>
          ))}
        </div>
        {waterfall.rows.map(row => {
          const left = (row.offsetMs / waterfall.totalMs) * 100;
          const width = (row.durationMs / waterfall.totalMs) * 100;
          const isSelected = row.span.spanId === selected?.spanId;
          return (
            <div
              key={row.span.spanId}
              role="treeitem"
              aria-level={row.depth + 1}
              aria-selected={isSelected}
              tabIndex={0}
              data-testid="span-row"
              className={`${classes.row} ${isSelected ? classes.selected : ''}`}
              onClick={() => setSelectedId(row.span.spanId)}
              onKeyDown={event => {
                if (event.key === 'Enter') {
                  setSelectedId(row.span.spanId);
                }
              }}
            >
              <div
                className={classes.label}
                style={{ paddingLeft: row.depth * 14 }}
                title={`${row.span.service}: ${row.span.name}`}
              >
                <strong>{row.span.service}</strong> {row.span.name}
              </div>
              <div className={classes.track}>
                <div
                  className={`${classes.bar} ${
                    row.span.statusCode === 2 ? classes.errorBar : ''
                  }`}
                  style={{
                    left: `${Math.min(left, 100)}%`,
                    width: `${Math.max(Math.min(width, 100 - left), 0)}%`,
                  }}
                  title={formatMs(row.durationMs)}
                />
              </div>
            </div>
          );
        })}
      </Box>
      {selected && <SpanDetails span={selected} />}
    </Box>
  );
}

function SpanDetails(props: { span: Span }) {
  const { span } = props;
  return (
    <Box width={420} aria-label="Span attributes" role="region">
      <Typography variant="subtitle1" component="h3">
        {span.name}
      </Typography>
      <Table size="small">
        <TableBody>
          <Row name="service" value={span.service} />
          <Row name="region" value={span.region ?? '—'} />
          <Row name="kind" value={KIND_NAMES[span.kind] ?? String(span.kind)} />
          <Row name="duration" value={formatMs(span.durationMs)} />
          <Row
            name="status"
            value={
              ['unset', 'ok', 'error'][span.statusCode] +
              (span.statusMessage ? `: ${span.statusMessage}` : '')
            }
          />
          <Row name="span id" value={span.spanId} />
          <Row name="parent" value={span.parentSpanId ?? '—'} />
        </TableBody>
      </Table>
      <AttributeTable title="Attributes" attributes={span.attributes} />
      <AttributeTable
        title="Resource"
        attributes={span.resourceAttributes ?? {}}
      />
      {span.events.length > 0 && (
        <>
          <Typography variant="subtitle2">Events</Typography>
          {span.events.map((event, index) => (
            <Typography key={index} variant="body2">
              {event.name}
            </Typography>
          ))}
        </>
      )}
    </Box>
  );
}

function AttributeTable(props: { title: string; attributes: Attributes }) {
  const entries = Object.entries(props.attributes);
  if (entries.length === 0) {
    return null;
  }
  return (
    <>
      <Typography variant="subtitle2" style={{ marginTop: 8 }}>
        {props.title}
      </Typography>
      <Table size="small">
        <TableBody>
          {entries.map(([key, value]) => (
            <Row key={key} name={key} value={attributeText(value)} />
          ))}
        </TableBody>
      </Table>
    </>
  );
}

function Row(props: { name: string; value: string }) {
  return (
    <TableRow>
      <TableCell style={{ whiteSpace: 'nowrap' }}>{props.name}</TableCell>
      <TableCell style={{ wordBreak: 'break-all' }}>{props.value}</TableCell>
    </TableRow>
  );
}
