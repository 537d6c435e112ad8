import { createRouteRef } from '@backstage/frontend-plugin-api';

export const tracesRouteRef = createRouteRef();

export const meshRouteRef = createRouteRef();
