import { createRouteRef } from '@backstage/frontend-plugin-api';

export const tracesRouteRef = createRouteRef();

export const meshRouteRef = createRouteRef();

export const alertsRouteRef = createRouteRef();

export const slosRouteRef = createRouteRef();
