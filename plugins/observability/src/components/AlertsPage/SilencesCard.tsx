import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { observabilityApiRef, Silence } from '../../api';
import { formatTime } from '../common/format';
import { PolledContent } from '../common/states';
import { usePolling } from '../common/usePolling';

/** Silences still in force first, then the ones that ended. */
function inForceFirst(a: Silence, b: Silence) {
  const rank = (s: Silence) => (s.state === 'expired' ? 1 : 0);
  return rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt);
}

export function SilencesCard(props: { canAct: boolean }) {
  const api = useApi(observabilityApiRef);
  const state = usePolling(() => api.listSilences(), 'silences');
  const [error, setError] = useState<string>();

  const end = async (id: string) => {
    setError(undefined);
    try {
      await api.expireSilence(id);
      state.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <InfoCard title="Silences">
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
      <PolledContent
        state={state}
        isEmpty={silences => silences.length === 0}
        emptyTitle="No silences"
        emptyHint="Silence an alert from its row above to stop its notifications for a while."
      >
        {silences => (
          <Table size="small" aria-label="Silences">
            <TableHead>
              <TableRow>
                <TableCell>Matchers</TableCell>
                <TableCell>Comment</TableCell>
                <TableCell>By</TableCell>
                <TableCell>Ends</TableCell>
                <TableCell>State</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {[...silences].sort(inForceFirst).map(silence => (
                <TableRow key={silence.id}>
                  <TableCell>
                    {silence.matchers
                      .map(m => `${m.name}${m.isRegex ? '=~' : '='}${m.value}`)
                      .join(', ')}
                  </TableCell>
                  <TableCell>{silence.comment}</TableCell>
                  <TableCell>{silence.createdBy}</TableCell>
                  <TableCell>
                    {formatTime(Date.parse(silence.endsAt))}
                  </TableCell>
                  <TableCell>{silence.state}</TableCell>
                  <TableCell>
                    {props.canAct && silence.state !== 'expired' && (
                      <Button size="small" onClick={() => end(silence.id)}>
                        End
                      </Button>
                    )}
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
