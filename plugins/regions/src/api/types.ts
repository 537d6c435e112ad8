/** Answers of the regions engine (`/api/regions`), as its router sends them. */

export type HealthState = 'healthy' | 'degraded' | 'down' | 'unknown';

export interface ProbeEndpoint {
  url: string;
  ok: boolean;
  status?: number;
  latencyMs: number;
  error?: string;
}

export interface Region {
  id: string;
  title: string;
  role: string;
  location: { latitude: number; longitude: number };
  kubernetesCluster?: string;
  argocdUrl?: string;
  capacity: { requestsPerSecond: number };
  healthEndpoints: string[];
  entityRef?: string;
  health: {
    state: HealthState;
    since?: string;
    checkedAt?: string;
    consecutiveFailures?: number;
    consecutiveSuccesses?: number;
  };
  /** Where the region's clients are served now; null when nowhere. */
  servedBy: string | null;
  failoverTarget: string | null;
}

export interface ProbeHistoryEntry {
  checkedAt: string;
  outcome: 'ok' | 'partial' | 'fail';
  state: HealthState;
  latencyMs: number;
  endpoints: ProbeEndpoint[];
}

export interface RegionDetail extends Region {
  history: ProbeHistoryEntry[];
}

export interface RouteDecision {
  ip: string;
  clientAddress?: string;
  network?: string;
  nginxRegion: string;
  region: string | null;
  failedOver: boolean;
  reason: string;
}

export interface WhatIfAnswer {
  down: string[];
  moves: Array<{ network: string; from: string; to: string | null }>;
  regions: Array<{
    region: string;
    down: boolean;
    currentRps: number;
    addedRps: number;
    totalRps: number;
    capacityRps: number;
    utilisation: number;
    capacityHolds: boolean;
  }>;
  unservedRps: number;
  traffic: string;
}

export interface ApplicationStatus {
  name: string;
  service: string;
  syncStatus: string;
  health: string;
  revision?: string;
  liveColour?: 'blue' | 'green';
}

export interface RolloutStatus {
  order: string[];
  regions: Array<{
    region: string;
    argocdUrl?: string;
    applications: ApplicationStatus[];
    error?: string;
  }>;
}

/** From the observability engine's `/performance/overview`. */
export interface ServicePerformance {
  service: string;
  region: string;
  requestRate: number;
  errorRate: number;
  p95Ms: number;
}

/** From the observability engine's `/slos`. */
export interface SloStatus {
  id: string;
  service: string;
  region: string;
  objectives: Array<{
    name: string;
    status: 'ok' | 'breached' | 'no_data';
    errorBudget: { remainingFraction: number };
  }>;
}

/** From the observability engine's `/alerts/groups`. */
export interface AlertGroup {
  service: string;
  region: string;
  firing: number;
  acknowledged: number;
}

export interface RegionSignals {
  performance: ServicePerformance[];
  slos: SloStatus[];
  alertGroups: AlertGroup[];
}
