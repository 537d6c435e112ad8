import { PolledContent, usePolling } from '@internal/portal-react';
import { useApi } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { SecurityDashboard, zeroTrustApiRef } from '../../api';

export const WINDOWS: Record<string, { label: string; ms: number }> = {
  '15m': { label: 'Last 15 minutes', ms: 15 * 60_000 },
  '1h': { label: 'Last hour', ms: 60 * 60_000 },
  '24h': { label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
};

export const DEFAULT_WINDOW = '1h';

function isQuiet(dashboard: SecurityDashboard) {
  return (
    dashboard.authentication.attempts === 0 &&
    dashboard.threats.total === 0 &&
    dashboard.decisions.length === 0 &&
    dashboard.riskScores.every(r => r.count === 0)
  );
}

/**
 * Risk score distribution, threats, decisions and logins of a window,
 * from the security events the zero-trust engine sends to the
 * observability engine.
 */
export function SecurityOverview(props: { window: string }) {
  const api = useApi(zeroTrustApiRef);
  const windowMs = (WINDOWS[props.window] ?? WINDOWS[DEFAULT_WINDOW]).ms;
  const state = usePolling(() => {
    const toMs = Date.now();
    return api.getSecurityDashboard({
      from: new Date(toMs - windowMs).toISOString(),
      to: new Date(toMs).toISOString(),
    });
  }, props.window);

  return (
    <PolledContent
      state={state}
      isEmpty={isQuiet}
      emptyTitle="No security events in this window"
      emptyHint="Decisions and logins reported to the zero-trust engine appear here; pick a longer time range, or check that the engine sends its events (its /health shows the event sender)."
    >
      {dashboard => (
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <Typography variant="subtitle2">
              Risk scores of decisions
            </Typography>
            <BarChart
              width={420}
              height={220}
              data={dashboard.riskScores}
              aria-label="Risk score distribution"
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="range" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="count" name="decisions" fill="#1565c0" />
            </BarChart>
            <ul aria-label="Risk score ranges">
              {dashboard.riskScores.map(bucket => (
                <li key={bucket.range}>
                  {bucket.range}: {bucket.count}
                </li>
              ))}
            </ul>
          </Grid>
          <Grid item xs={12} md={6}>
            <Typography variant="subtitle2">
              Threat events: {dashboard.threats.total}
            </Typography>
            <ul aria-label="Threats by type">
              {dashboard.threats.byType.map(threat => (
                <li key={threat.type}>
                  {threat.type}: {threat.count}
                </li>
              ))}
            </ul>
            <Typography variant="subtitle2">Decisions</Typography>
            <ul aria-label="Decisions">
              {dashboard.decisions.map(d => (
                <li key={d.decision}>
                  {d.decision}: {d.count}
                </li>
              ))}
            </ul>
            <Typography variant="subtitle2">
              Policy violations: {dashboard.policyViolations.total}
            </Typography>
            <ul aria-label="Policy violations">
              {dashboard.policyViolations.byPolicy.map(p => (
                <li key={p.policyId}>
                  {p.policyId}: {p.count}
                </li>
              ))}
            </ul>
            <Typography variant="body2">
              Logins: {dashboard.authentication.attempts} attempts,{' '}
              {dashboard.authentication.failed} failed
              {dashboard.authentication.successRate !== null &&
                `, ${(dashboard.authentication.successRate * 100).toFixed(
                  1,
                )}% succeeded`}
              .
            </Typography>
          </Grid>
        </Grid>
      )}
    </PolledContent>
  );
}
