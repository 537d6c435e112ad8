import { RegionsApi } from '../api/RegionsApi';
import {
  Region,
  RegionDetail,
  ServicePerformance,
  WhatIfAnswer,
} from '../api/types';

function region(
  id: string,
  overrides: Partial<Region> & Pick<Region, 'location'>,
): Region {
  return {
    id,
    title: id,
    role: 'secondary',
    capacity: { requestsPerSecond: 1000 },
    healthEndpoints: [`/api/regions/simulation/${id}/health`],
    health: { state: 'healthy', since: '2026-12-03T10:00:00.000Z' },
    servedBy: id,
    failoverTarget: null,
    ...overrides,
  };
}

export const REGIONS: Region[] = [
  region('ap-southeast-1', {
    title: 'Asia Pacific (Singapore)',
    location: { latitude: 1.35, longitude: 103.82 },
    failoverTarget: 'us-east-1',
  }),
  region('us-east-1', {
    title: 'US East (N. Virginia)',
    location: { latitude: 38.9, longitude: -77.04 },
    health: { state: 'down', since: '2026-12-03T10:05:00.000Z' },
    servedBy: 'eu-west-1',
    failoverTarget: 'eu-west-1',
  }),
  region('eu-west-1', {
    title: 'EU West (Ireland)',
    role: 'primary',
    location: { latitude: 53.35, longitude: -6.26 },
    capacity: { requestsPerSecond: 6000 },
    failoverTarget: 'us-east-1',
  }),
];

export const US_EAST_DETAIL: RegionDetail = {
  ...REGIONS[1],
  history: [
    {
      checkedAt: '2026-12-03T10:05:00.000Z',
      outcome: 'fail',
      state: 'down',
      latencyMs: 750,
      endpoints: [
        {
          url: '/api/regions/simulation/us-east-1/health',
          ok: false,
          status: 503,
          latencyMs: 3,
        },
      ],
    },
    {
      checkedAt: '2026-12-03T10:04:59.000Z',
      outcome: 'fail',
      state: 'degraded',
      latencyMs: 750,
      endpoints: [],
    },
    {
      checkedAt: '2026-12-03T10:04:58.000Z',
      outcome: 'ok',
      state: 'healthy',
      latencyMs: 4,
      endpoints: [],
    },
  ],
};

export const WHAT_IF: WhatIfAnswer = {
  down: ['eu-west-1'],
  moves: [{ network: '81.0.0.0/8', from: 'eu-west-1', to: 'us-east-1' }],
  regions: [
    {
      region: 'eu-west-1',
      down: true,
      currentRps: 12,
      addedRps: 0,
      totalRps: 0,
      capacityRps: 6000,
      utilisation: 0,
      capacityHolds: true,
    },
    {
      region: 'us-east-1',
      down: false,
      currentRps: 3,
      addedRps: 12,
      totalRps: 15,
      capacityRps: 10,
      utilisation: 1.5,
      capacityHolds: false,
    },
  ],
  unservedRps: 0,
  traffic: 'observability engine, last 15 minutes',
};

export function mockRegionsApi(
  overrides: Partial<jest.Mocked<RegionsApi>> = {},
): jest.Mocked<RegionsApi> {
  return {
    listRegions: jest.fn(async () => REGIONS),
    getRegion: jest.fn<Promise<RegionDetail>, [string, number]>(
      async () => US_EAST_DETAIL,
    ),
    route: jest.fn(async ip => ({
      ip,
      clientAddress: ip,
      network: '81.0.0.0/8',
      nginxRegion: 'eu-west-1',
      region: 'eu-west-1',
      failedOver: false,
      reason: 'nginx geo picks eu-west-1, which is healthy',
    })),
    whatIf: jest.fn<Promise<WhatIfAnswer>, [string[]]>(async () => WHAT_IF),
    getRollouts: jest.fn(async () => ({
      order: ['ap-southeast-1', 'us-east-1', 'eu-west-1'],
      regions: [
        {
          region: 'eu-west-1',
          applications: [
            {
              name: 'api-gateway-eu-west-1',
              service: 'api-gateway',
              syncStatus: 'Synced',
              health: 'Healthy',
              liveColour: 'green' as const,
            },
            {
              name: 'quiz-service-eu-west-1',
              service: 'quiz-service',
              syncStatus: 'Synced',
              health: 'Healthy',
              liveColour: 'green' as const,
            },
          ],
        },
        {
          region: 'us-east-1',
          applications: [
            {
              name: 'api-gateway-us-east-1',
              service: 'api-gateway',
              syncStatus: 'Synced',
              health: 'Healthy',
              liveColour: 'blue' as const,
            },
            {
              name: 'quiz-service-us-east-1',
              service: 'quiz-service',
              syncStatus: 'OutOfSync',
              health: 'Progressing',
              liveColour: 'green' as const,
            },
          ],
        },
        {
          region: 'ap-southeast-1',
          applications: [],
          error: 'Argo CD answered 401',
        },
      ],
    })),
    getPerformance: jest.fn<
      Promise<ServicePerformance[]>,
      [{ from: string; to: string }]
    >(async () => [
      {
        service: 'api-gateway',
        region: 'eu-west-1',
        requestRate: 10,
        errorRate: 0.01,
        p95Ms: 120,
      },
      {
        service: 'quiz-service',
        region: 'eu-west-1',
        requestRate: 2.5,
        errorRate: 0,
        p95Ms: 80,
      },
    ]),
    getSlos: jest.fn(async () => [
      {
        id: 'api-gateway@eu-west-1',
        service: 'api-gateway',
        region: 'eu-west-1',
        objectives: [
          {
            name: 'availability',
            status: 'breached' as const,
            errorBudget: { remainingFraction: 0.25 },
          },
          {
            name: 'latency',
            status: 'ok' as const,
            errorBudget: { remainingFraction: 0.9 },
          },
        ],
      },
    ]),
    getAlertGroups: jest.fn(async () => [
      {
        service: 'api-gateway',
        region: 'eu-west-1',
        firing: 2,
        acknowledged: 1,
      },
    ]),
    ...overrides,
  };
}
