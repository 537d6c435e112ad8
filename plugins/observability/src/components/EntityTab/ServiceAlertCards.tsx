import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { observabilityApiRef } from '../../api';
import { formatPercent, formatTime } from '../common/format';
import { AppLink, useAlertsLink, useSlosLink } from '../common/links';
import { PolledContent } from '../common/states';
import { usePolling } from '../common/usePolling';
import { formatBudget, formatBurnRate } from '../SlosPage/SloSection';

/** The service's SLOs in each region, linking to the SLOs page. */
export function ServiceSlosCard(props: { service: string }) {
  const { service } = props;
  const api = useApi(observabilityApiRef);
  const slosLink = useSlosLink();
  const state = usePolling(
    () => api.listSlos().then(slos => slos.filter(s => s.service === service)),
    service,
  );

  return (
    <InfoCard
      title="SLOs"
      deepLink={
        slosLink({ service })
          ? { title: 'All SLOs of this service', link: slosLink({ service })! }
          : undefined
      }
    >
      <PolledContent
        state={state}
        isEmpty={slos => slos.length === 0}
        emptyTitle={`No SLOs for ${service} yet`}
        emptyHint="SLOs appear once the service has served requests in the period; targets come from its tms.example.com/slo-* annotations or observability.slos in app-config."
      >
        {slos => (
          <Table size="small" aria-label="Service SLOs">
            <TableHead>
              <TableRow>
                <TableCell>Region</TableCell>
                <TableCell>Objective</TableCell>
                <TableCell>SLI</TableCell>
                <TableCell>Budget left</TableCell>
                <TableCell>Burn rates</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {slos.flatMap(slo =>
                slo.objectives.map(o => (
                  <TableRow key={`${slo.id}/${o.name}`}>
                    <TableCell>{slo.region || 'unknown'}</TableCell>
                    <TableCell>
                      {o.name} ({formatPercent(o.objective)})
                    </TableCell>
                    <TableCell>
                      {o.sli === null ? '—' : formatPercent(o.sli)}
                    </TableCell>
                    <TableCell>{formatBudget(o)}</TableCell>
                    <TableCell>
                      {Object.entries(o.burnRates)
                        .map(([w, r]) => `${w} ${formatBurnRate(r)}`)
                        .join(' · ')}
                    </TableCell>
                  </TableRow>
                )),
              )}
            </TableBody>
          </Table>
        )}
      </PolledContent>
    </InfoCard>
  );
}

/** Firing and acknowledged alerts of the service, in every region. */
export function ServiceOpenAlertsCard(props: { service: string }) {
  const { service } = props;
  const api = useApi(observabilityApiRef);
  const alertsLink = useAlertsLink();
  const state = usePolling(
    () =>
      api
        .getAlertGroups()
        .then(groups =>
          groups.filter(g => g.service === service).flatMap(g => g.alerts),
        ),
    service,
  );

  return (
    <InfoCard title="Open alerts">
      <PolledContent
        state={state}
        isEmpty={alerts => alerts.length === 0}
        emptyTitle={`No open alerts for ${service}`}
        emptyHint="Nothing is firing. Past alerts and their MTTA and MTTR are on the Alerts page."
      >
        {alerts => (
          <Table size="small" aria-label="Open alerts">
            <TableHead>
              <TableRow>
                <TableCell>Severity</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Region</TableCell>
                <TableCell>Alert</TableCell>
                <TableCell>Started</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {alerts.map(a => (
                <TableRow key={a.id}>
                  <TableCell>{a.severity}</TableCell>
                  <TableCell>{a.state}</TableCell>
                  <TableCell>{a.region || 'unknown'}</TableCell>
                  <TableCell>{a.annotations.summary ?? a.ruleId}</TableCell>
                  <TableCell>{formatTime(Date.parse(a.startsAt))}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </PolledContent>
      <Box mt={1}>
        <AppLink href={alertsLink({ service })}>
          All alerts of {service}
        </AppLink>
      </Box>
    </InfoCard>
  );
}
