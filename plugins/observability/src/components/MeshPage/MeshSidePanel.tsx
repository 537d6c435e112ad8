import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ServiceGraphEdge, ServiceGraphNode } from '../../api';
import { formatMs, formatPercent, formatRate } from '../common/format';
import { AppLink, useAlertsLink, useTracesLink } from '../common/links';
import { nodeHealth, regionLabel } from './MeshGraph';

/** One poll's RED numbers of a node or edge, kept while the page is open. */
export interface RedSample {
  timeMs: number;
  requestRate: number;
  errorRate: number;
  p95Ms: number;
}

function serviceOf(nodeId: string) {
  return nodeId.slice(0, nodeId.lastIndexOf('@'));
}

export function MeshSidePanel(props: {
  node?: ServiceGraphNode;
  edge?: ServiceGraphEdge;
  history: RedSample[];
  window: string;
  onClose: () => void;
}) {
  const { node, edge, history, window, onClose } = props;
  const tracesLink = useTracesLink();
  const alertsLink = useAlertsLink();

  // Traces through an edge are the callee's; the engine's trace search
  // filters by service, so that is the closest it can answer.
  const service = node ? node.service : serviceOf(edge!.target);
  const title = node
    ? `${node.service} (${regionLabel(node.region)})`
    : `${edge!.source} → ${edge!.target}`;
  const numbers: Array<[string, string]> = node
    ? [
        [
          'Health',
          nodeHealth(node) === 'idle' ? 'no requests served' : node.health,
        ],
        ['Request rate', formatRate(node.requestRate)],
        ['Error rate', formatPercent(node.errorRate)],
        ['Availability', formatPercent(node.availability)],
        ['p50', formatMs(node.p50Ms)],
        ['p95', formatMs(node.p95Ms)],
        ['p99', formatMs(node.p99Ms)],
        [
          'SLA',
          Object.entries(node.sla)
            .map(([name, met]) => `${name} ${met ? 'met' : 'missed'}`)
            .join(', '),
        ],
      ]
    : [
        ['Request rate', formatRate(edge!.requestRate)],
        ['Error rate', formatPercent(edge!.errorRate)],
        ['p95', formatMs(edge!.p95Ms)],
        ['Mutual TLS', edge!.mtls ? 'every request' : 'not on every request'],
      ];

  return (
    <Paper
      variant="outlined"
      style={{
        padding: 16,
        width: 380,
        position: 'absolute',
        top: 8,
        right: 8,
        maxHeight: 'calc(100% - 16px)',
        overflowY: 'auto',
        zIndex: 5,
      }}
      role="complementary"
      aria-label="Selection details"
    >
      <Box display="flex" alignItems="flex-start">
        <Typography
          variant="h6"
          component="h2"
          style={{ flexGrow: 1, wordBreak: 'break-all' }}
        >
          {title}
        </Typography>
        <IconButton size="small" aria-label="Close details" onClick={onClose}>
          <CloseIcon />
        </IconButton>
      </Box>
      <Table size="small">
        <TableBody>
          {numbers.map(([name, value]) => (
            <TableRow key={name}>
              <TableCell>{name}</TableCell>
              <TableCell>{value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box display="flex" style={{ gap: 16 }} my={1}>
        <AppLink href={tracesLink({ tab: 'traces', service, window })}>
          Traces of {service}
        </AppLink>
        <AppLink href={tracesLink({ tab: 'logs', service, window })}>
          Logs of {service}
        </AppLink>
        <AppLink href={alertsLink({ service })}>Alerts of {service}</AppLink>
      </Box>
      <RedChart history={history} />
    </Paper>
  );
}

/** Request rate, errors and p95 over the polls since the page opened. */
function RedChart(props: { history: RedSample[] }) {
  if (props.history.length < 2) {
    return (
      <Typography variant="body2" color="textSecondary">
        The charts fill in as the page refreshes (every 10 seconds).
      </Typography>
    );
  }
  const data = props.history.map(sample => ({
    time: new Date(sample.timeMs).toISOString().slice(11, 19),
    rate: Number(sample.requestRate.toFixed(3)),
    errors: Number((sample.errorRate * 100).toFixed(3)),
    p95: Math.round(sample.p95Ms),
  }));
  const charts: Array<[keyof (typeof data)[number], string, string]> = [
    ['rate', 'Requests per second', '#1976d2'],
    ['errors', 'Errors (%)', '#d32f2f'],
    ['p95', 'p95 (ms)', '#7b1fa2'],
  ];
  return (
    <>
      {charts.map(([key, label, colour]) => (
        <Box key={key} height={110}>
          <Typography variant="caption">{label}</Typography>
          <ResponsiveContainer width="100%" height={90}>
            <LineChart data={data}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="time" hide />
              <YAxis width={40} fontSize={10} />
              <Tooltip />
              <Line
                type="monotone"
                dataKey={key}
                stroke={colour}
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </Box>
      ))}
    </>
  );
}
