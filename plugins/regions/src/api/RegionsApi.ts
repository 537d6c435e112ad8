import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AlertGroup,
  Region,
  RegionDetail,
  RolloutStatus,
  RouteDecision,
  ServicePerformance,
  SloStatus,
  WhatIfAnswer,
} from './types';

/**
 * What the Regions page asks: the regions engine for the model, health,
 * routing and failover, the observability engine for the traffic, SLOs
 * and alerts of each region.
 */
export interface RegionsApi {
  listRegions(): Promise<Region[]>;
  getRegion(id: string, history: number): Promise<RegionDetail>;
  route(ip: string, xForwardedFor?: string): Promise<RouteDecision>;
  whatIf(down: string[]): Promise<WhatIfAnswer>;
  getRollouts(): Promise<RolloutStatus>;
  getPerformance(window: {
    from: string;
    to: string;
  }): Promise<ServicePerformance[]>;
  getSlos(): Promise<SloStatus[]>;
  getAlertGroups(): Promise<AlertGroup[]>;
}

export const regionsApiRef = createApiRef<RegionsApi>({
  id: 'plugin.regions.api',
});
