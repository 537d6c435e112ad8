import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Region } from '../../api';
import { formatPercent, formatRps, formatTime } from '../common/format';
import { RegionSummary } from './signals';
import { HEALTH_COLOURS } from './WorldMap';

function ColourCell(props: { summary: RegionSummary }) {
  const { colour, colourError } = props.summary;
  if (colourError) {
    return (
      <>
        unknown
        <Typography variant="caption" display="block">
          {colourError}
        </Typography>
      </>
    );
  }
  if (!colour) {
    return <>unknown</>;
  }
  if (colour.live === 'none') {
    return <>no colour annotation</>;
  }
  const detail =
    colour.live === 'mixed'
      ? `${colour.blue} blue, ${colour.green} green of ${colour.total}`
      : `${colour.live === 'blue' ? colour.blue : colour.green} of ${
          colour.total
        } applications`;
  return (
    <>
      <Chip
        size="small"
        label={colour.live}
        style={{
          backgroundColor:
            { blue: '#1565c0', green: '#2e7d32', mixed: '#6a1b9a' }[
              colour.live
            ] ?? undefined,
          color: '#fff',
        }}
      />{' '}
      <Typography variant="caption">{detail}</Typography>
    </>
  );
}

/** One row per region: health, where its clients go, traffic and signals. */
export function RegionTable(props: {
  regions: Region[];
  summaries: Map<string, RegionSummary>;
  selected?: string;
  onSelect: (id: string) => void;
}) {
  const { regions, summaries, selected, onSelect } = props;
  return (
    <Table size="small" aria-label="Regions">
      <TableHead>
        <TableRow>
          <TableCell>Region</TableCell>
          <TableCell>Health</TableCell>
          <TableCell>Clients served by</TableCell>
          <TableCell>Live colour</TableCell>
          <TableCell>Request rate</TableCell>
          <TableCell>Lowest SLO budget</TableCell>
          <TableCell>Open alerts</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {regions.map(region => {
          const summary = summaries.get(region.id) ?? {};
          return (
            <TableRow
              key={region.id}
              hover
              selected={region.id === selected}
              onClick={() => onSelect(region.id)}
              style={{ cursor: 'pointer' }}
              data-testid={`region-row-${region.id}`}
            >
              <TableCell>
                <Typography variant="body2">
                  <b>{region.id}</b>
                </Typography>
                <Typography variant="caption">
                  {region.title} · {region.role}
                </Typography>
              </TableCell>
              <TableCell>
                <Chip
                  size="small"
                  label={region.health.state}
                  style={{
                    backgroundColor: HEALTH_COLOURS[region.health.state],
                    color: '#fff',
                  }}
                />
                {region.health.since && (
                  <Typography variant="caption" display="block">
                    since {formatTime(region.health.since)}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {region.servedBy ?? 'nowhere: no region can serve them'}
              </TableCell>
              <TableCell>
                <ColourCell summary={summary} />
              </TableCell>
              <TableCell>
                <span>
                  {summary.requestRate === undefined
                    ? 'unknown'
                    : formatRps(summary.requestRate)}
                </span>
                <Typography variant="caption" display="block">
                  capacity {formatRps(region.capacity.requestsPerSecond)}
                </Typography>
              </TableCell>
              <TableCell>
                {summary.lowestBudget ? (
                  <>
                    <span>
                      {summary.lowestBudget.fraction < 0
                        ? `exhausted (${formatPercent(
                            summary.lowestBudget.fraction,
                          )})`
                        : formatPercent(summary.lowestBudget.fraction)}
                    </span>
                    <Typography variant="caption" display="block">
                      {summary.lowestBudget.sloId}{' '}
                      {summary.lowestBudget.objective}
                    </Typography>
                  </>
                ) : (
                  'no SLO data'
                )}
                {summary.breachedObjectives ? (
                  <Typography variant="caption" display="block" color="error">
                    {summary.breachedObjectives} objectives breached
                  </Typography>
                ) : null}
              </TableCell>
              <TableCell>
                {summary.openAlerts
                  ? `${summary.openAlerts.firing} firing, ${summary.openAlerts.acknowledged} acknowledged`
                  : 'unknown'}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
