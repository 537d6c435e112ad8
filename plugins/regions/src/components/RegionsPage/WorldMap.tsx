import { makeStyles } from '@material-ui/core/styles';
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/land-110m.json';
import { HealthState, Region } from '../../api';

const WIDTH = 960;
const HEIGHT = 500;

// The geometry ships with the bundle (no tile server is reachable from
// where the portal runs), and the land outline never changes, so it is
// projected once for every render.
const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], {
  type: 'Sphere',
} as any);
const path = geoPath(projection);
const topology = world as unknown as Topology<{ land: GeometryCollection }>;
const LAND = path(feature(topology, topology.objects.land)) ?? '';
const OUTLINE = path({ type: 'Sphere' } as any) ?? '';

export const HEALTH_COLOURS: Record<HealthState, string> = {
  healthy: '#2e7d32',
  degraded: '#ed6c02',
  down: '#d32f2f',
  unknown: '#757575',
};

const useStyles = makeStyles(theme => ({
  svg: { width: '100%', height: 'auto', display: 'block' },
  sea: { fill: theme.palette.type === 'dark' ? '#1e2a38' : '#e3f2fd' },
  land: { fill: theme.palette.type === 'dark' ? '#455a64' : '#cfd8dc' },
  label: {
    fontSize: 16,
    fontWeight: 600,
    fill: theme.palette.text.primary,
    paintOrder: 'stroke',
    stroke: theme.palette.background.paper,
    strokeWidth: 4,
  },
  marker: { cursor: 'pointer', outline: 'none' },
}));

function point(region: Region): [number, number] {
  const projected = projection([
    region.location.longitude,
    region.location.latitude,
  ]);
  return projected ?? [0, 0];
}

/**
 * The regions on a world map, coloured by health. A region whose clients
 * are served elsewhere gets an arrow to the region serving them. A marker
 * is a button that selects its region.
 */
export function WorldMap(props: {
  regions: Region[];
  selected?: string;
  onSelect: (id: string) => void;
}) {
  const classes = useStyles();
  const { regions, selected, onSelect } = props;
  const byId = new Map(regions.map(r => [r.id, r]));

  return (
    <svg
      className={classes.svg}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label="World map of the regions"
    >
      <defs>
        <marker
          id="regions-arrow"
          viewBox="0 0 10 10"
          refX="10"
          refY="5"
          markerWidth="8"
          markerHeight="8"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#d32f2f" />
        </marker>
      </defs>
      <path className={classes.sea} d={OUTLINE} />
      <path className={classes.land} d={LAND} />
      {regions.map(region => {
        const target = region.servedBy ? byId.get(region.servedBy) : undefined;
        if (!target || target.id === region.id) {
          return null;
        }
        const [x1, y1] = point(region);
        const [x2, y2] = point(target);
        return (
          <line
            key={`failover-${region.id}`}
            data-testid="failover-arrow"
            aria-label={`Clients of ${region.id} are served by ${target.id}`}
            x1={x1}
            y1={y1}
            x2={x2}
            y2={y2}
            stroke="#d32f2f"
            strokeWidth={3}
            strokeDasharray="8 6"
            markerEnd="url(#regions-arrow)"
          />
        );
      })}
      {regions.map(region => {
        const [x, y] = point(region);
        const isSelected = region.id === selected;
        return (
          <g
            key={region.id}
            className={classes.marker}
            role="button"
            tabIndex={0}
            aria-pressed={isSelected}
            aria-label={`Region ${region.id}, ${region.health.state}`}
            data-health={region.health.state}
            onClick={() => onSelect(region.id)}
            onKeyDown={event => {
              if (event.key === 'Enter' || event.key === ' ') {
                onSelect(region.id);
              }
            }}
          >
            <circle
              cx={x}
              cy={y}
              r={isSelected ? 14 : 11}
              fill={HEALTH_COLOURS[region.health.state]}
              stroke={isSelected ? '#000' : '#fff'}
              strokeWidth={3}
            />
            <text className={classes.label} x={x + 16} y={y + 5}>
              {region.id}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
