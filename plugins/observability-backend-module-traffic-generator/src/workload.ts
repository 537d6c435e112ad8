/*
 * The workload the traffic generator plays: the TMS services, the routes
 * each serves, the calls each route makes downstream, and how long each
 * takes. It is the generator's script, not a measurement: every number the
 * portal shows comes from the spans and logs this script makes the
 * services send.
 */

/** One route a service serves, and the calls it makes while serving it. */
export interface RouteModel {
  route: string;
  /** Median time spent in the service itself, in milliseconds. */
  selfMs: number;
  /**
   * Fraction of requests that fail on their own. Steady traffic is a
   * healthy platform: compounded along the calls, every service stays
   * at about half of what a 99.9% SLO allows or less, so that only the scenarios
   * page.
   */
  errorRate: number;
  calls: Array<{ service: string; route: string }>;
  /** The protocol of the route: gRPC failures hide inside HTTP 200. */
  protocol?: 'http' | 'grpc';
}

export interface EntryPoint {
  service: string;
  route: string;
  /** Share of all requests that start here. */
  weight: number;
}

export const REGIONS = [
  { id: 'eu-west-1', weight: 0.5 },
  { id: 'us-east-1', weight: 0.3 },
  { id: 'ap-southeast-1', weight: 0.2 },
] as const;

export type RegionId = (typeof REGIONS)[number]['id'];

const VERIFY = { service: 'auth-service', route: 'POST /tokens/verify' };

export const SERVICES: Record<string, RouteModel[]> = {
  'api-gateway': [
    {
      route: 'POST /auth/login',
      selfMs: 3,
      errorRate: 0,
      calls: [{ service: 'auth-service', route: 'POST /login' }],
    },
    {
      route: 'GET /api/users/:id',
      selfMs: 2,
      errorRate: 0.00005,
      calls: [VERIFY, { service: 'user-service', route: 'GET /users/:id' }],
    },
    {
      route: 'POST /api/quizzes/:id/completions',
      selfMs: 2,
      errorRate: 0.00005,
      calls: [
        VERIFY,
        { service: 'quiz-service', route: 'POST /quizzes/:id/completions' },
      ],
    },
    {
      route: 'POST /api/safety-checks',
      selfMs: 2,
      errorRate: 0.00005,
      calls: [
        VERIFY,
        { service: 'safety-check-service', route: 'POST /safety-checks' },
      ],
    },
    {
      route: 'GET /api/invoices',
      selfMs: 2,
      errorRate: 0.00005,
      calls: [VERIFY, { service: 'invoice-service', route: 'GET /invoices' }],
    },
    {
      route: 'GET /api/reports/:id',
      selfMs: 2,
      errorRate: 0.00005,
      calls: [
        VERIFY,
        { service: 'reporting-service', route: 'GET /reports/:id' },
      ],
    },
    {
      route: 'POST /api/feedback',
      selfMs: 2,
      errorRate: 0.00005,
      calls: [VERIFY, { service: 'feedback-service', route: 'POST /feedback' }],
    },
  ],
  'auth-service': [
    {
      route: 'POST /login',
      selfMs: 40,
      errorRate: 0.0001,
      calls: [{ service: 'user-service', route: 'GET /users/by-email' }],
    },
    { route: 'POST /tokens/verify', selfMs: 2, errorRate: 0.000025, calls: [] },
  ],
  'user-service': [
    { route: 'GET /users/:id', selfMs: 6, errorRate: 0.00005, calls: [] },
    { route: 'GET /users/by-email', selfMs: 8, errorRate: 0.00005, calls: [] },
  ],
  'quiz-service': [
    {
      route: 'POST /quizzes/:id/completions',
      selfMs: 25,
      errorRate: 0.0001,
      calls: [{ service: 'user-service', route: 'GET /users/:id' }],
    },
    {
      route: 'QuizStats/Get',
      selfMs: 30,
      errorRate: 0.00015,
      calls: [],
      protocol: 'grpc',
    },
  ],
  'safety-check-service': [
    {
      route: 'POST /safety-checks',
      selfMs: 35,
      errorRate: 0.0001,
      calls: [
        { service: 'notification-service', route: 'POST /notifications' },
      ],
    },
  ],
  'invoice-service': [
    { route: 'GET /invoices', selfMs: 20, errorRate: 0.0001, calls: [] },
    {
      route: 'InvoiceSummary/Get',
      selfMs: 45,
      errorRate: 0.00015,
      calls: [],
      protocol: 'grpc',
    },
  ],
  'notification-service': [
    { route: 'POST /notifications', selfMs: 15, errorRate: 0.0002, calls: [] },
  ],
  'graphql-service': [
    {
      route: 'POST /graphql',
      selfMs: 8,
      errorRate: 0.00005,
      calls: [
        { service: 'user-service', route: 'GET /users/:id' },
        { service: 'quiz-service', route: 'QuizStats/Get' },
      ],
    },
  ],
  'reporting-service': [
    {
      route: 'GET /reports/:id',
      selfMs: 120,
      errorRate: 0.0001,
      calls: [
        { service: 'quiz-service', route: 'QuizStats/Get' },
        { service: 'invoice-service', route: 'InvoiceSummary/Get' },
      ],
    },
  ],
  'feedback-service': [
    { route: 'POST /feedback', selfMs: 12, errorRate: 0.00005, calls: [] },
  ],
};

export const ENTRY_POINTS: EntryPoint[] = [
  { service: 'api-gateway', route: 'POST /auth/login', weight: 0.1 },
  { service: 'api-gateway', route: 'GET /api/users/:id', weight: 0.2 },
  {
    service: 'api-gateway',
    route: 'POST /api/quizzes/:id/completions',
    weight: 0.2,
  },
  { service: 'api-gateway', route: 'POST /api/safety-checks', weight: 0.1 },
  { service: 'api-gateway', route: 'GET /api/invoices', weight: 0.1 },
  { service: 'api-gateway', route: 'GET /api/reports/:id', weight: 0.05 },
  { service: 'api-gateway', route: 'POST /api/feedback', weight: 0.05 },
  { service: 'graphql-service', route: 'POST /graphql', weight: 0.2 },
];

/** Addresses of the brute-force scenario: documentation ranges only. */
/**
 * Where ordinary users sign in from: the /24 networks of the benchmarking
 * range (RFC 2544), which no real address uses.
 */
export const CLIENT_NETWORKS = ['198.18.0', '198.18.1', '198.18.2', '198.19.4'];

export const ATTACKER_ADDRESSES = [
  '203.0.113.7',
  '198.51.100.23',
  '192.0.2.44',
];

export function routeOf(service: string, route: string): RouteModel {
  const model = SERVICES[service]?.find(r => r.route === route);
  if (!model) {
    throw new Error(`The workload has no route '${route}' on '${service}'`);
  }
  return model;
}
