import { PolledContent, usePolling } from '@internal/portal-react';
import { useApi } from '@backstage/frontend-plugin-api';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Region, regionsApiRef } from '../../api';
import { formatPercent, formatRps } from '../common/format';

const MOVES_SHOWN = 20;

function WhatIfAnswerView(props: { down: string[] }) {
  const api = useApi(regionsApiRef);
  const state = usePolling(() => api.whatIf(props.down), props.down.join(','));
  return (
    <PolledContent
      state={state}
      isEmpty={() => false}
      emptyTitle=""
      emptyHint=""
    >
      {answer => (
        <>
          <Table size="small" aria-label="Load after failover">
            <TableHead>
              <TableRow>
                <TableCell>Region</TableCell>
                <TableCell>Now</TableCell>
                <TableCell>Gains</TableCell>
                <TableCell>Total</TableCell>
                <TableCell>Capacity</TableCell>
                <TableCell>Utilisation</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {answer.regions.map(r => (
                <TableRow key={r.region} data-testid={`what-if-${r.region}`}>
                  <TableCell>{r.region}</TableCell>
                  <TableCell>{formatRps(r.currentRps)}</TableCell>
                  <TableCell>
                    {r.down ? 'down' : `+${formatRps(r.addedRps)}`}
                  </TableCell>
                  <TableCell>{r.down ? '–' : formatRps(r.totalRps)}</TableCell>
                  <TableCell>{formatRps(r.capacityRps)}</TableCell>
                  <TableCell>
                    {r.down
                      ? '–'
                      : `${formatPercent(r.utilisation)} ${
                          r.capacityHolds ? '(holds)' : '(over capacity)'
                        }`}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Typography variant="body2" style={{ marginTop: 8 }}>
            Unserved: {formatRps(answer.unservedRps)}. Traffic from{' '}
            {answer.traffic}.
          </Typography>
          <Typography variant="subtitle2" style={{ marginTop: 8 }}>
            {answer.moves.length} client networks move
          </Typography>
          <ul aria-label="Moved client networks">
            {answer.moves.slice(0, MOVES_SHOWN).map(move => (
              <li key={move.network}>
                {move.network}: {move.from} → {move.to ?? 'nowhere'}
              </li>
            ))}
            {answer.moves.length > MOVES_SHOWN && (
              <li>and {answer.moves.length - MOVES_SHOWN} more</li>
            )}
          </ul>
        </>
      )}
    </PolledContent>
  );
}

/**
 * Failover what-if: tick regions to fail and see where their clients go
 * and how much load each survivor takes against its capacity.
 */
export function WhatIfPanel(props: {
  regions: Region[];
  down: string[];
  onChange: (down: string[]) => void;
}) {
  const { regions, down, onChange } = props;
  return (
    <>
      <div role="group" aria-label="Regions to fail">
        {regions.map(region => (
          <FormControlLabel
            key={region.id}
            label={`Fail ${region.id}`}
            control={
              <Checkbox
                checked={down.includes(region.id)}
                onChange={event =>
                  onChange(
                    event.target.checked
                      ? [...down, region.id]
                      : down.filter(id => id !== region.id),
                  )
                }
              />
            }
          />
        ))}
      </div>
      {down.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Tick one or more regions to see where their clients would go and the
          load each surviving region would carry.
        </Typography>
      ) : (
        <WhatIfAnswerView down={down} />
      )}
    </>
  );
}
