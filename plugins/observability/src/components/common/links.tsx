import { RouterLink, useRouteRef } from '@backstage/frontend-plugin-api';
import MuiLink from '@material-ui/core/Link';
import { ReactNode } from 'react';
import {
  alertsRouteRef,
  meshRouteRef,
  slosRouteRef,
  tracesRouteRef,
} from '../../routes';

/** Query parameters of the Traces and logs page (see TracesPage). */
export interface TracesLinkParams {
  tab?: 'traces' | 'logs';
  service?: string;
  operation?: string;
  status?: 'ok' | 'error';
  window?: string;
  trace?: string;
  traceId?: string;
  severity?: string;
  q?: string;
}

function withQuery(base: string, params: object): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      query.set(key, String(value));
    }
  }
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}

/** Builds links to the Traces and logs page; undefined when not mounted. */
export function useTracesLink() {
  const route = useRouteRef(tracesRouteRef);
  return (params: TracesLinkParams) =>
    route ? withQuery(route(), params) : undefined;
}

/** Builds links to the Mesh page; undefined when not mounted. */
export function useMeshLink() {
  const route = useRouteRef(meshRouteRef);
  return (params: { region?: string; service?: string; window?: string }) =>
    route ? withQuery(route(), params) : undefined;
}

/** Query parameters of the Alerts page (see AlertsPage). */
export interface AlertsLinkParams {
  state?: string;
  severity?: string;
  service?: string;
  region?: string;
}

/** Builds links to the Alerts page; undefined when not mounted. */
export function useAlertsLink() {
  const route = useRouteRef(alertsRouteRef);
  return (params: AlertsLinkParams) =>
    route ? withQuery(route(), params) : undefined;
}

/** Builds links to the SLOs and KPIs page; undefined when not mounted. */
export function useSlosLink() {
  const route = useRouteRef(slosRouteRef);
  return (params: { service?: string; region?: string }) =>
    route ? withQuery(route(), params) : undefined;
}

/** An in-app link, or plain text when the target page is not installed. */
export function AppLink(props: {
  href?: string;
  children: ReactNode;
  'aria-label'?: string;
}) {
  if (!props.href) {
    return <>{props.children}</>;
  }
  return (
    <MuiLink
      component={RouterLink as any}
      href={props.href}
      aria-label={props['aria-label']}
    >
      {props.children}
    </MuiLink>
  );
}
