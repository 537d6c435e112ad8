import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { requestJson } from '@internal/portal-react';
import { RegionsApi } from './RegionsApi';
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

/** Talks to the regions and observability backends through Backstage's fetch. */
export class RegionsClient implements RegionsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async listRegions(): Promise<Region[]> {
    const body = await this.call<{ regions: Region[] }>('regions', '/regions');
    return body.regions;
  }

  async getRegion(id: string, history: number): Promise<RegionDetail> {
    return this.call<RegionDetail>(
      'regions',
      `/regions/${encodeURIComponent(id)}?history=${history}`,
    );
  }

  async route(ip: string, xForwardedFor?: string): Promise<RouteDecision> {
    const params = new URLSearchParams({ ip });
    if (xForwardedFor) {
      params.set('xForwardedFor', xForwardedFor);
    }
    return this.call<RouteDecision>('regions', `/route?${params}`);
  }

  async whatIf(down: string[]): Promise<WhatIfAnswer> {
    return this.call<WhatIfAnswer>('regions', '/failover/what-if', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ down }),
    });
  }

  async getRollouts(): Promise<RolloutStatus> {
    return this.call<RolloutStatus>('regions', '/rollouts');
  }

  async getPerformance(window: {
    from: string;
    to: string;
  }): Promise<ServicePerformance[]> {
    const params = new URLSearchParams(window);
    const body = await this.call<{ services: ServicePerformance[] }>(
      'observability',
      `/performance/overview?${params}`,
    );
    return body.services;
  }

  async getSlos(): Promise<SloStatus[]> {
    const body = await this.call<{ slos: SloStatus[] }>(
      'observability',
      '/slos',
    );
    return body.slos;
  }

  async getAlertGroups(): Promise<AlertGroup[]> {
    const body = await this.call<{ groups: AlertGroup[] }>(
      'observability',
      '/alerts/groups',
    );
    return body.groups;
  }

  private call<T>(pluginId: string, path: string, init?: RequestInit) {
    return requestJson<T>(this.options, pluginId, path, init);
  }
}
