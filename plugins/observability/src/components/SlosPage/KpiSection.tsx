import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { BusinessMetrics, observabilityApiRef } from '../../api';
import { WindowFilter } from '../common/Filters';
import { formatPercent } from '../common/format';
import { PolledContent } from '../common/states';
import { resolveWindow, windowName } from '../common/timeWindow';
import { usePolling } from '../common/usePolling';

/** The trend: this many consecutive windows of this length, newest last. */
export const TREND_WINDOWS = 12;
export const TREND_WINDOW_MS = 5 * 60_000;
/** Twelve requests per poll: less often than the other views. */
const TREND_POLL_MS = 30_000;

function hasData(m: BusinessMetrics) {
  return [
    m.activeUsers.total,
    m.quizzes.started,
    m.safetyChecks.total,
    m.invoices.generated,
    m.invoices.processed,
    m.customerSatisfaction.responses,
  ].some(v => v !== null);
}

const dash = (value: number | null) => (value === null ? '—' : String(value));

function rate(
  fraction: number | null,
  of: number | null,
  total: number | null,
) {
  return fraction === null
    ? '—'
    : `${formatPercent(fraction)} (${of} of ${total})`;
}

/** The KPIs of every region over the chosen window, one row per region. */
export function KpiTable(props: {
  region?: string;
  window?: string;
  onWindow: (value: string) => void;
}) {
  const { region } = props;
  const window = windowName(props.window ?? null);
  const api = useApi(observabilityApiRef);
  const state = usePolling(async () => {
    const range = resolveWindow(window);
    if (region) {
      return [await api.getBusinessMetrics({ ...range, region })];
    }
    // The regions are those the engine saw users or requests in.
    const [all, slos] = await Promise.all([
      api.getBusinessMetrics(range),
      api.listSlos(),
    ]);
    const regions = new Set([
      ...all.activeUsers.byRegion.map(r => r.region),
      ...slos.map(s => s.region).filter(Boolean),
    ]);
    const perRegion = await Promise.all(
      [...regions]
        .sort()
        .map(r => api.getBusinessMetrics({ ...range, region: r })),
    );
    return [all, ...perRegion];
  }, `${window}|${region ?? ''}`);

  return (
    <InfoCard title="Business KPIs per region">
      <Box mb={2}>
        <WindowFilter value={window} onChange={props.onWindow} />
      </Box>
      <PolledContent
        state={state}
        isEmpty={rows => !rows.some(hasData)}
        emptyTitle="No business metrics in this window"
        emptyHint="The KPIs come from the tms.business.* metrics the services export over OTLP (see the observability-backend README). Choose a longer window, or check that the services send metrics."
      >
        {rows => (
          <Table size="small" aria-label="Business KPIs">
            <TableHead>
              <TableRow>
                <TableCell>Region</TableCell>
                <TableCell>Active users</TableCell>
                <TableCell>Quiz completion</TableCell>
                <TableCell>Safety-check compliance</TableCell>
                <TableCell>Invoices generated</TableCell>
                <TableCell>Invoices processed</TableCell>
                <TableCell>Customer satisfaction</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(m => (
                <TableRow key={m.region ?? '*'} data-testid="kpi-row">
                  <TableCell>{m.region ?? 'All regions'}</TableCell>
                  <TableCell>{dash(m.activeUsers.total)}</TableCell>
                  <TableCell>
                    {rate(
                      m.quizzes.completionRate,
                      m.quizzes.completed,
                      m.quizzes.started,
                    )}
                  </TableCell>
                  <TableCell>
                    {rate(
                      m.safetyChecks.complianceRate,
                      m.safetyChecks.compliant,
                      m.safetyChecks.total,
                    )}
                  </TableCell>
                  <TableCell>{dash(m.invoices.generated)}</TableCell>
                  <TableCell>{dash(m.invoices.processed)}</TableCell>
                  <TableCell>
                    {m.customerSatisfaction.average === null
                      ? '—'
                      : `${m.customerSatisfaction.average.toFixed(2)} / 5 (${
                          m.customerSatisfaction.responses
                        } responses)`}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </PolledContent>
    </InfoCard>
  );
}

/** The consecutive windows ending now, oldest first. */
export function trendWindows(nowMs: number) {
  return Array.from({ length: TREND_WINDOWS }, (_, i) => {
    const toMs = nowMs - (TREND_WINDOWS - 1 - i) * TREND_WINDOW_MS;
    return {
      from: new Date(toMs - TREND_WINDOW_MS).toISOString(),
      to: new Date(toMs).toISOString(),
    };
  });
}

const percent = (v: number | null) =>
  v === null ? null : Number((v * 100).toFixed(2));

/**
 * The KPIs over the last hour. The engine answers one window per request,
 * so the trend is twelve requests for consecutive 5-minute windows, sent
 * together; nothing is interpolated.
 */
export function KpiTrend(props: { region?: string }) {
  const { region } = props;
  const api = useApi(observabilityApiRef);
  const state = usePolling(
    () =>
      Promise.all(
        trendWindows(Date.now()).map(w =>
          api.getBusinessMetrics({ ...w, region }),
        ),
      ),
    region ?? '',
    TREND_POLL_MS,
  );

  return (
    <InfoCard
      title={`Business KPIs over the last hour, ${region ?? 'all regions'}`}
      subheader="One point per 5 minutes"
    >
      <PolledContent
        state={state}
        isEmpty={points => !points.some(hasData)}
        emptyTitle="No business metrics in the last hour"
        emptyHint="The services export tms.business.* metrics over OTLP; the trend fills in as they arrive."
      >
        {points => {
          const data = points.map(m => ({
            time: m.to.slice(11, 16),
            'active users': m.activeUsers.total,
            'invoices generated': m.invoices.generated,
            'invoices processed': m.invoices.processed,
            'quiz completion %': percent(m.quizzes.completionRate),
            'safety compliance %': percent(m.safetyChecks.complianceRate),
            'satisfaction (1-5)': m.customerSatisfaction.average,
          }));
          const charts: Array<[string, string[]]> = [
            [
              'Counts',
              ['active users', 'invoices generated', 'invoices processed'],
            ],
            ['Rates (%)', ['quiz completion %', 'safety compliance %']],
            ['Customer satisfaction', ['satisfaction (1-5)']],
          ];
          const colours = ['#1976d2', '#388e3c', '#f57c00'];
          return (
            <div data-testid="kpi-trend">
              <Typography variant="caption">
                {data[0].time} to {data[data.length - 1].time} UTC
              </Typography>
              <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
                {charts.map(([title, keys]) => (
                  <Box key={title} mt={1} flex="1 1 300px">
                    <Typography variant="subtitle2">{title}</Typography>
                    <ResponsiveContainer width="100%" height={140}>
                      <LineChart data={data}>
                        <CartesianGrid strokeDasharray="3 3" />
                        <XAxis dataKey="time" fontSize={10} />
                        <YAxis width={40} fontSize={10} />
                        <Tooltip />
                        <Legend />
                        {keys.map((key, i) => (
                          <Line
                            key={key}
                            type="monotone"
                            dataKey={key}
                            stroke={colours[i]}
                            connectNulls={false}
                            isAnimationActive={false}
                          />
                        ))}
                      </LineChart>
                    </ResponsiveContainer>
                  </Box>
                ))}
              </Box>
            </div>
          );
        }}
      </PolledContent>
    </InfoCard>
  );
}
