import { PolledContent, usePolling, useUrlState } from '@internal/portal-react';
import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { regionsApiRef } from '../../api';
import { FailoverHistory } from './FailoverHistory';
import { RegionTable } from './RegionTable';
import { RouteTester } from './RouteTester';
import { settle, summariseRegion } from './signals';
import { WhatIfPanel } from './WhatIfPanel';
import { WorldMap } from './WorldMap';

/** The window the request rates are read over. */
const TRAFFIC_WINDOW_MS = 5 * 60_000;

/**
 * The Regions page. The selected region (`region`), the what-if's failed
 * regions (`down`) and the route tester's address (`ip`, `xff`) live in
 * the URL.
 */
export function RegionsPage() {
  const api = useApi(regionsApiRef);
  const { get, set } = useUrlState();
  const selected = get('region');
  const down = useMemo(
    () => (get('down') ?? '').split(',').filter(Boolean),
    [get],
  );

  const overview = usePolling(async () => {
    // The regions are the page; the signals only add to them, so one that
    // fails is reported beside the table instead of failing the page.
    const regions = await api.listRegions();
    const toMs = Date.now();
    const window = {
      from: new Date(toMs - TRAFFIC_WINDOW_MS).toISOString(),
      to: new Date(toMs).toISOString(),
    };
    const [performance, slos, alerts, rollouts] = await Promise.all([
      settle(api.getPerformance(window)),
      settle(api.getSlos()),
      settle(api.getAlertGroups()),
      settle(api.getRollouts()),
    ]);
    return { regions, signals: { performance, slos, alerts, rollouts } };
  }, 'overview');

  const select = (id: string) =>
    set({ region: id === selected ? undefined : id });

  return (
    <Page themeId="tool">
      <Header
        title="Regions"
        subtitle="Health, traffic and failover of the TMS regions"
      />
      <Content>
        <PolledContent
          state={overview}
          isEmpty={value => value.regions.length === 0}
          emptyTitle="No regions configured"
          emptyHint="Add the regions under regions.list in app-config.yaml; the regions engine serves nothing without them."
        >
          {({ regions, signals }) => {
            const summaries = new Map(
              regions.map(r => [r.id, summariseRegion(r, signals)]),
            );
            const unavailable = (
              [
                ['Request rates', signals.performance],
                ['SLOs', signals.slos],
                ['Alerts', signals.alerts],
                ['Live colours', signals.rollouts],
              ] as const
            ).filter(([, s]) => !s.ok);
            return (
              <Grid container spacing={3}>
                <Grid item xs={12} lg={5}>
                  <InfoCard title="Map">
                    <WorldMap
                      regions={regions}
                      selected={selected}
                      onSelect={select}
                    />
                  </InfoCard>
                </Grid>
                <Grid item xs={12} lg={7}>
                  <InfoCard
                    title={
                      selected
                        ? `Failover history of ${selected}`
                        : 'Failover history'
                    }
                  >
                    {selected ? (
                      <FailoverHistory regionId={selected} />
                    ) : (
                      <Typography variant="body2" color="textSecondary">
                        Pick a region on the map or in the table to see its
                        state changes and latest health probes.
                      </Typography>
                    )}
                  </InfoCard>
                </Grid>
                <Grid item xs={12}>
                  <InfoCard title="Regions">
                    <RegionTable
                      regions={regions}
                      summaries={summaries}
                      selected={selected}
                      onSelect={select}
                    />
                    {unavailable.map(([what, s]) => (
                      <Typography
                        key={what}
                        variant="body2"
                        color="error"
                        role="alert"
                      >
                        {what} could not be read: {!s.ok && s.error.message}
                      </Typography>
                    ))}
                  </InfoCard>
                </Grid>
                <Grid item xs={12} lg={6}>
                  <InfoCard title="Failover what-if">
                    <WhatIfPanel
                      regions={regions}
                      down={down}
                      onChange={next =>
                        set({ down: next.join(',') || undefined })
                      }
                    />
                  </InfoCard>
                </Grid>
                <Grid item xs={12} lg={6}>
                  <InfoCard title="Route tester">
                    <RouteTester
                      ip={get('ip')}
                      xForwardedFor={get('xff')}
                      onSubmit={(ip, xff) => set({ ip, xff })}
                    />
                  </InfoCard>
                </Grid>
              </Grid>
            );
          }}
        </PolledContent>
      </Content>
    </Page>
  );
}
