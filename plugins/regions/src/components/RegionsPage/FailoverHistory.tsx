import { PolledContent, usePolling } from '@internal/portal-react';
import { useApi } from '@backstage/frontend-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ProbeHistoryEntry, regionsApiRef } from '../../api';
import { formatTime } from '../common/format';

const HISTORY_ROUNDS = 300;
const PROBES_SHOWN = 8;

/** The rounds at which the region's state changed, newest first. */
export function stateChanges(history: ProbeHistoryEntry[]) {
  const oldestFirst = [...history].sort((a, b) =>
    a.checkedAt < b.checkedAt ? -1 : 1,
  );
  const changes: Array<{ at: string; from?: string; to: string }> = [];
  for (let i = 0; i < oldestFirst.length; i++) {
    const previous = oldestFirst[i - 1];
    if (previous && previous.state !== oldestFirst[i].state) {
      changes.push({
        at: oldestFirst[i].checkedAt,
        from: previous.state,
        to: oldestFirst[i].state,
      });
    }
  }
  return changes.reverse();
}

/**
 * The selected region's failover history from its stored probe rounds:
 * each change of state, where its clients go, and the latest probes.
 */
export function FailoverHistory(props: { regionId: string }) {
  const api = useApi(regionsApiRef);
  const { regionId } = props;
  const state = usePolling(
    () => api.getRegion(regionId, HISTORY_ROUNDS),
    regionId,
  );

  return (
    <PolledContent
      state={state}
      isEmpty={region => region.history.length === 0}
      emptyTitle={`No probe rounds for ${regionId} yet`}
      emptyHint="The health probes run every few seconds; check that the region's health endpoints are configured under regions.list."
    >
      {region => {
        const changes = stateChanges(region.history);
        const newest = [...region.history]
          .sort((a, b) => (a.checkedAt < b.checkedAt ? 1 : -1))
          .slice(0, PROBES_SHOWN);
        return (
          <>
            <Typography variant="body2" paragraph>
              {region.id} is <b>{region.health.state}</b>
              {region.health.since &&
                ` since ${formatTime(region.health.since)}`}
              . Its clients are served by{' '}
              <b>{region.servedBy ?? 'no region'}</b>; if it went down they
              would go to <b>{region.failoverTarget ?? 'no region'}</b>.
            </Typography>
            <Typography variant="subtitle2">
              State changes in the last {region.history.length} probe rounds
            </Typography>
            {changes.length === 0 ? (
              <Typography variant="body2" paragraph>
                No change: {region.id} stayed {region.history[0]?.state}.
              </Typography>
            ) : (
              <ul aria-label="State changes">
                {changes.map(change => (
                  <li key={change.at}>
                    {formatTime(change.at)}: {change.from} → {change.to}
                  </li>
                ))}
              </ul>
            )}
            <Typography variant="subtitle2">Latest probe rounds</Typography>
            <Table size="small" aria-label="Latest probe rounds">
              <TableHead>
                <TableRow>
                  <TableCell>Checked</TableCell>
                  <TableCell>Outcome</TableCell>
                  <TableCell>State</TableCell>
                  <TableCell>Endpoints</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {newest.map(round => (
                  <TableRow key={round.checkedAt}>
                    <TableCell>{formatTime(round.checkedAt)}</TableCell>
                    <TableCell>{round.outcome}</TableCell>
                    <TableCell>{round.state}</TableCell>
                    <TableCell>
                      {round.endpoints
                        .map(
                          e =>
                            `${e.url}: ${
                              e.ok
                                ? `ok ${e.status ?? ''}`
                                : e.error ?? e.status
                            } (${Math.round(e.latencyMs)} ms)`,
                        )
                        .join('; ')}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        );
      }}
    </PolledContent>
  );
}
