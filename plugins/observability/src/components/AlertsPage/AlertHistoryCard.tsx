import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { observabilityApiRef } from '../../api';
import { SelectFilter } from '../common/Filters';
import { formatSeconds } from '../common/format';
import { PolledContent } from '../common/states';
import { usePolling } from '../common/usePolling';

const HISTORY_WINDOWS: Record<string, { label: string; ms: number }> = {
  '24h': { label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 24 * 60 * 60_000 },
};

const DEFAULT_HISTORY = '7d';

/** Per service and region: alerts started in the window, MTTA and MTTR. */
export function AlertHistoryCard(props: {
  window?: string;
  onWindow: (value: string) => void;
}) {
  const name =
    props.window && props.window in HISTORY_WINDOWS
      ? props.window
      : DEFAULT_HISTORY;
  const api = useApi(observabilityApiRef);
  const state = usePolling(() => {
    const now = Date.now();
    return api.getAlertHistory({
      from: new Date(now - HISTORY_WINDOWS[name].ms).toISOString(),
      to: new Date(now).toISOString(),
    });
  }, name);

  return (
    <InfoCard title="History" subheader="Mean time to acknowledge and resolve">
      <Box mb={2}>
        <SelectFilter
          label="History"
          value={name}
          options={Object.entries(HISTORY_WINDOWS).map(([value, w]) => ({
            value,
            label: w.label,
          }))}
          onChange={props.onWindow}
        />
      </Box>
      <PolledContent
        state={state}
        isEmpty={history => history.services.length === 0}
        emptyTitle="No alerts in this window"
        emptyHint="No alert started in this window. Choose a longer one."
      >
        {history => (
          <Table size="small" aria-label="Alert history">
            <TableHead>
              <TableRow>
                <TableCell>Service</TableCell>
                <TableCell>Region</TableCell>
                <TableCell>Alerts</TableCell>
                <TableCell>Acknowledged</TableCell>
                <TableCell>Resolved</TableCell>
                <TableCell>MTTA</TableCell>
                <TableCell>MTTR</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {history.services.map(entry => (
                <TableRow key={`${entry.service}@${entry.region}`}>
                  <TableCell>{entry.service}</TableCell>
                  <TableCell>{entry.region || 'unknown'}</TableCell>
                  <TableCell>{entry.alerts}</TableCell>
                  <TableCell>{entry.acknowledged}</TableCell>
                  <TableCell>{entry.resolved}</TableCell>
                  <TableCell>
                    {entry.mttaSeconds === null
                      ? '—'
                      : formatSeconds(entry.mttaSeconds)}
                  </TableCell>
                  <TableCell>
                    {entry.mttrSeconds === null
                      ? '—'
                      : formatSeconds(entry.mttrSeconds)}
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
