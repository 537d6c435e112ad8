import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import {
  Alert,
  AlertPage,
  AlertQuery,
  AlertSeverity,
  AlertState,
  alertUpdatePermission,
  observabilityApiRef,
} from '../../api';
import { SelectFilter, TextFilter, useUrlFilters } from '../common/Filters';
import { formatTime } from '../common/format';
import { PolledContent } from '../common/states';
import { usePolling } from '../common/usePolling';
import { AlertActionDialog, AlertAction } from './AlertDialogs';
import { AlertHistoryCard } from './AlertHistoryCard';
import { SilencesCard } from './SilencesCard';

const PAGE_SIZE = 50;

const ANY = 'any';

const STATES: AlertState[] = ['firing', 'acknowledged', 'resolved'];

const SEVERITIES: AlertSeverity[] = ['page', 'ticket', 'info'];

/** Only known values: an edited URL falls back to "any". */
function oneOf<T extends string>(value: string | undefined, known: T[]) {
  return known.find(k => k === value);
}

/**
 * The Alerts page: alerts filtered by state, severity, service and region
 * (all in the URL), what people did to them, the silences and the history
 * with MTTA and MTTR.
 */
export function AlertsPage() {
  const filters = useUrlFilters();
  // Hides the buttons of what the engine would refuse; it still checks.
  const { allowed: canAct } = usePermission({
    permission: alertUpdatePermission,
  });
  const query: AlertQuery = {
    state: oneOf(filters.get('state'), STATES),
    severity: oneOf(filters.get('severity'), SEVERITIES),
    service: filters.get('service'),
    region: filters.get('region'),
    offset: Math.max(0, Number(filters.get('offset')) || 0),
    limit: PAGE_SIZE,
  };
  // Changing a filter starts again at the first page.
  const setFilter = (name: string, value: string | undefined) =>
    filters.update({ [name]: value === ANY ? undefined : value, offset: '' });

  return (
    <Page themeId="tool">
      <Header
        title="Alerts"
        subtitle="What the observability engine's alert rules and SLOs raised"
      />
      <Content>
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
          <SelectFilter
            label="State"
            value={query.state ?? ANY}
            options={[ANY, ...STATES].map(s => ({
              value: s,
              label: s === ANY ? 'Any state' : s,
            }))}
            onChange={value => setFilter('state', value)}
          />
          <SelectFilter
            label="Severity"
            value={query.severity ?? ANY}
            options={[ANY, ...SEVERITIES].map(s => ({
              value: s,
              label: s === ANY ? 'Any severity' : s,
            }))}
            onChange={value => setFilter('severity', value)}
          />
          <TextFilter
            label="Service"
            value={query.service}
            onChange={value => setFilter('service', value)}
          />
          <TextFilter
            label="Region"
            value={query.region}
            onChange={value => setFilter('region', value)}
          />
        </Box>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <AlertList
              query={query}
              canAct={canAct}
              onOffset={offset =>
                filters.update({ offset: offset ? String(offset) : '' })
              }
            />
          </Grid>
          <Grid item xs={12} lg={6}>
            <AlertHistoryCard
              window={filters.get('history')}
              onWindow={value => filters.update({ history: value })}
            />
          </Grid>
          <Grid item xs={12} lg={6}>
            <SilencesCard canAct={canAct} />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}

function AlertList(props: {
  query: AlertQuery;
  canAct: boolean;
  onOffset: (offset: number) => void;
}) {
  const { query, canAct, onOffset } = props;
  const api = useApi(observabilityApiRef);
  const state = usePolling(() => api.listAlerts(query), JSON.stringify(query));
  const [open, setOpen] = useState<{ alert: Alert; action: AlertAction }>();

  return (
    <InfoCard title="Alerts" noPadding>
      <PolledContent
        state={state}
        isEmpty={page => page.alerts.length === 0 && page.offset === 0}
        emptyTitle="No alerts match"
        emptyHint="Nothing was raised with these filters. Clear a filter, or add an alert rule (POST /api/observability/alert-rules or observability.alerts.rules in app-config) to be alerted on more."
      >
        {page => (
          <>
            {!canAct && (
              <Box px={2} pt={2}>
                <Typography variant="body2" color="textSecondary">
                  You can read alerts here; acknowledging, resolving and
                  silencing them needs the observability.alert.update
                  permission.
                </Typography>
              </Box>
            )}
            <AlertTable
              page={page}
              canAct={canAct}
              onAction={(alert, action) => setOpen({ alert, action })}
            />
            <Pager page={page} onOffset={onOffset} />
          </>
        )}
      </PolledContent>
      {open && (
        <AlertActionDialog
          alert={open.alert}
          action={open.action}
          onClose={() => setOpen(undefined)}
          onDone={() => {
            setOpen(undefined);
            state.refresh();
          }}
        />
      )}
    </InfoCard>
  );
}

function Pager(props: { page: AlertPage; onOffset: (offset: number) => void }) {
  const { page, onOffset } = props;
  const last = page.offset + page.alerts.length;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 16 }} p={2}>
      <Typography variant="body2">
        {page.alerts.length === 0
          ? `None past ${page.offset} of ${page.total}`
          : `${page.offset + 1}-${last} of ${page.total}`}
      </Typography>
      <Button
        size="small"
        disabled={page.offset === 0}
        onClick={() => onOffset(Math.max(0, page.offset - page.limit))}
      >
        Previous
      </Button>
      <Button
        size="small"
        disabled={last >= page.total}
        onClick={() => onOffset(page.offset + page.limit)}
      >
        Next
      </Button>
    </Box>
  );
}

function AlertTable(props: {
  page: AlertPage;
  canAct: boolean;
  onAction: (alert: Alert, action: AlertAction) => void;
}) {
  const { page, canAct, onAction } = props;
  return (
    <Table size="small" aria-label="Alerts">
      <TableHead>
        <TableRow>
          <TableCell>State</TableCell>
          <TableCell>Service and region</TableCell>
          <TableCell>Alert</TableCell>
          <TableCell>Value</TableCell>
          <TableCell>Started</TableCell>
          <TableCell>Handled</TableCell>
          <TableCell>Actions</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {page.alerts.map(alert => (
          <TableRow key={alert.id} data-testid="alert-row">
            <TableCell>
              <Typography variant="body2">
                {alert.state}
                {alert.silencedBy.length > 0 && ' (silenced)'}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {alert.severity}
              </Typography>
            </TableCell>
            <TableCell>
              <Typography variant="body2">{alert.service}</Typography>
              <Typography variant="caption" color="textSecondary">
                {alert.region || 'unknown region'}
              </Typography>
            </TableCell>
            <TableCell>
              <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
                {alert.ruleId}
              </Typography>
              {alert.annotations.summary && (
                <Typography variant="caption" color="textSecondary">
                  {alert.annotations.summary}
                </Typography>
              )}
            </TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {formatValue(alert.value)}
            </TableCell>
            <TableCell>{formatTime(Date.parse(alert.startsAt))}</TableCell>
            <TableCell>
              <Handled alert={alert} />
            </TableCell>
            <TableCell>
              <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                {canAct && alert.state === 'firing' && (
                  <Button
                    size="small"
                    variant="outlined"
                    onClick={() => onAction(alert, 'acknowledge')}
                  >
                    Acknowledge
                  </Button>
                )}
                {canAct && alert.state !== 'resolved' && (
                  <>
                    <Button
                      size="small"
                      variant="outlined"
                      onClick={() => onAction(alert, 'resolve')}
                    >
                      Resolve
                    </Button>
                    <Button
                      size="small"
                      onClick={() => onAction(alert, 'silence')}
                    >
                      Silence
                    </Button>
                  </>
                )}
              </Box>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Who acknowledged and resolved, as the engine recorded them. */
function Handled(props: { alert: Alert }) {
  const { alert } = props;
  return (
    <>
      {alert.acknowledgedBy && (
        <Typography variant="body2">
          Acknowledged by {alert.acknowledgedBy}
          {alert.acknowledgedAt &&
            ` at ${formatTime(Date.parse(alert.acknowledgedAt))}`}
          {alert.acknowledgeComment && `: ${alert.acknowledgeComment}`}
        </Typography>
      )}
      {alert.resolvedBy && (
        <Typography variant="body2">
          Resolved by {alert.resolvedBy}
          {alert.resolvedAt &&
            ` at ${formatTime(Date.parse(alert.resolvedAt))}`}
          {alert.resolveReason && `: ${alert.resolveReason}`}
        </Typography>
      )}
    </>
  );
}

/** Rates and ratios have many decimals; counts have none. */
function formatValue(value: number) {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}
