import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { observabilityApiRef, Slo, SloObjective } from '../../api';
import { formatPercent, formatSeconds } from '../common/format';
import { AppLink, useAlertsLink } from '../common/links';
import { PolledContent } from '../common/states';
import { usePolling } from '../common/usePolling';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

const OBJECTIVE_COLOURS: Record<string, string> = {
  availability: '#1976d2',
  latency: '#7b1fa2',
  error_rate: '#d32f2f',
};

/** A burn rate as a number with two decimals, `—` for no requests. */
export function formatBurnRate(rate: number | null | undefined) {
  return rate === null || rate === undefined ? '—' : rate.toFixed(2);
}

/** The budget left as a share and as time, such as `62.5% (27 min)`. */
export function formatBudget(objective: SloObjective) {
  const { remainingFraction, remainingSeconds } = objective.errorBudget;
  if (objective.status === 'no_data') {
    return 'no data';
  }
  return `${formatPercent(remainingFraction)} (${formatSeconds(
    remainingSeconds,
  )})`;
}

/** The SLOs of every service, grouped by region, filtered in the page. */
export function SloSection(props: { service?: string; region?: string }) {
  const { service, region } = props;
  const api = useApi(observabilityApiRef);
  const state = usePolling(() => api.listSlos(), 'slos');

  const shown = (slos: Slo[]) =>
    slos.filter(
      s =>
        (!service || s.service === service) && (!region || s.region === region),
    );

  return (
    <PolledContent
      state={state}
      isEmpty={slos => shown(slos).length === 0}
      emptyTitle="No SLOs"
      emptyHint={
        service || region
          ? 'No service with requests matches these filters. Clear the service or region filter.'
          : 'An SLO appears for each service and region with requests in the period. Send telemetry to /api/observability/v1/traces (locally, observability.trafficGenerator.enabled does).'
      }
    >
      {slos => {
        const byRegion = new Map<string, Slo[]>();
        for (const s of shown(slos)) {
          byRegion.set(s.region, [...(byRegion.get(s.region) ?? []), s]);
        }
        return [...byRegion.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, list]) => (
            <Box
              key={name}
              mb={3}
              component="section"
              aria-label={`SLOs in ${name || 'unknown region'}`}
            >
              <Typography variant="h5" gutterBottom>
                {name || 'Unknown region'}
              </Typography>
              <Grid container spacing={2}>
                {list
                  .sort((a, b) => a.service.localeCompare(b.service))
                  .map(s => (
                    <Grid item xs={12} xl={6} key={s.id}>
                      <SloCard slo={s} />
                    </Grid>
                  ))}
              </Grid>
            </Box>
          ));
      }}
    </PolledContent>
  );
}

function SloCard(props: { slo: Slo }) {
  const { slo } = props;
  const alertsLink = useAlertsLink();
  const windows = Object.keys(slo.objectives[0]?.burnRates ?? {});
  const data = windows.map(window => ({
    window,
    ...Object.fromEntries(
      slo.objectives.map(o => [o.name, o.burnRates[window] ?? null]),
    ),
  }));

  return (
    <InfoCard
      title={slo.service}
      subheader={`${slo.region || 'unknown region'}, over ${slo.period}`}
    >
      <div data-testid="slo-card">
        <Typography variant="caption">
          Burn rate per window (1 spends the budget exactly over the period)
        </Typography>
        <Box height={150}>
          <ResponsiveContainer width="100%" height={150}>
            <BarChart data={data}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="window" fontSize={11} />
              <YAxis width={40} fontSize={10} />
              <Tooltip />
              <Legend />
              <ReferenceLine y={1} stroke="#ff9800" strokeDasharray="4 4" />
              {slo.objectives.map(o => (
                <Bar
                  key={o.name}
                  dataKey={o.name}
                  fill={OBJECTIVE_COLOURS[o.name]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </Box>
        <Table size="small" aria-label={`SLOs of ${slo.id}`}>
          <TableHead>
            <TableRow>
              <TableCell>Objective</TableCell>
              <TableCell>SLI</TableCell>
              <TableCell>Budget left</TableCell>
              {windows.map(w => (
                <TableCell key={w}>{w}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {slo.objectives.map(o => (
              <TableRow key={o.name}>
                <TableCell title={o.description}>
                  {o.name} ({formatPercent(o.objective)})
                </TableCell>
                <TableCell>
                  {o.sli === null ? '—' : formatPercent(o.sli)}
                  {o.status === 'breached' && ' breached'}
                </TableCell>
                <TableCell style={NO_WRAP}>{formatBudget(o)}</TableCell>
                {windows.map(w => (
                  <TableCell key={w} style={NO_WRAP}>
                    {formatBurnRate(o.burnRates[w])}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Box mt={1}>
          <AppLink
            href={alertsLink({ service: slo.service, region: slo.region })}
          >
            Alerts of {slo.service} in {slo.region || 'unknown region'}
          </AppLink>
        </Box>
      </div>
    </InfoCard>
  );
}
