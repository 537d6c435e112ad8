import { PolledContent, usePolling } from '@internal/portal-react';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { FormEvent, useEffect, useState } from 'react';
import { regionsApiRef } from '../../api';

function RouteAnswer(props: { ip: string; xForwardedFor?: string }) {
  const api = useApi(regionsApiRef);
  const { ip, xForwardedFor } = props;
  // Polled: the answer follows the regions' health as it changes.
  const state = usePolling(
    () => api.route(ip, xForwardedFor),
    `${ip}|${xForwardedFor ?? ''}`,
  );
  return (
    <PolledContent
      state={state}
      isEmpty={() => false}
      emptyTitle=""
      emptyHint=""
    >
      {decision => (
        <div data-testid="route-decision">
          <Typography variant="h6">
            {decision.region
              ? `Served by ${decision.region}`
              : 'No region can serve this client'}
          </Typography>
          <Typography variant="body2">
            Client address {decision.clientAddress ?? decision.ip}
            {decision.network ? `, network ${decision.network}` : ''}; nginx
            picks {decision.nginxRegion || '(nothing)'}
            {decision.failedOver ? ', failed over' : ''}.
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {decision.reason}
          </Typography>
        </div>
      )}
    </PolledContent>
  );
}

/** Which region serves a client address, with nginx's own semantics. */
export function RouteTester(props: {
  ip?: string;
  xForwardedFor?: string;
  onSubmit: (ip?: string, xForwardedFor?: string) => void;
}) {
  const [ip, setIp] = useState(props.ip ?? '');
  const [xff, setXff] = useState(props.xForwardedFor ?? '');

  useEffect(() => setIp(props.ip ?? ''), [props.ip]);
  useEffect(() => setXff(props.xForwardedFor ?? ''), [props.xForwardedFor]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit(ip.trim() || undefined, xff.trim() || undefined);
  };

  return (
    <>
      <form onSubmit={submit} style={{ display: 'flex', gap: 8 }}>
        <TextField
          id="route-tester-ip"
          label="Client address"
          placeholder="203.0.113.7 or 2001:db8::1"
          size="small"
          variant="outlined"
          value={ip}
          onChange={event => setIp(event.target.value)}
        />
        <TextField
          id="route-tester-xff"
          label="X-Forwarded-For (optional)"
          size="small"
          variant="outlined"
          value={xff}
          onChange={event => setXff(event.target.value)}
        />
        <Button type="submit" variant="contained" color="primary">
          Route
        </Button>
      </form>
      <div style={{ marginTop: 12 }}>
        {props.ip ? (
          <RouteAnswer ip={props.ip} xForwardedFor={props.xForwardedFor} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            Enter a client address to see which region the load balancer sends
            it to.
          </Typography>
        )}
      </div>
    </>
  );
}
