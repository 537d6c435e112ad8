import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import { observabilityApiRef } from '../../api';
import { alertsRouteRef, slosRouteRef } from '../../routes';
import {
  businessMetrics,
  engineDown,
  mockObservabilityApi,
  slo,
} from '../../testing/fixtures';
import { trendWindows } from './KpiSection';
import { SlosPage } from './SlosPage';

async function renderPage(
  api: ReturnType<typeof mockObservabilityApi>,
  query = '',
) {
  return renderInTestApp(
    <TestApiProvider apis={[[observabilityApiRef, api]]}>
      <SlosPage />
    </TestApiProvider>,
    {
      mountPath: '/slos-and-kpis',
      initialRouteEntries: [`/slos-and-kpis${query}`],
      mountedRoutes: {
        '/slos-and-kpis': slosRouteRef,
        '/alerts': alertsRouteRef,
      },
    },
  );
}

function workingApi(overrides = {}) {
  return mockObservabilityApi({
    listSlos: jest
      .fn()
      .mockResolvedValue([
        slo('quiz-service', 'eu-west-1', 2),
        slo('quiz-service', 'us-east-1', 0.5),
        slo('api-gateway', 'eu-west-1', null),
      ]),
    getBusinessMetrics: jest.fn(async query =>
      businessMetrics(query.region ?? null),
    ),
    ...overrides,
  });
}

describe('SlosPage', () => {
  it('shows each SLO per region with budget left and burn rates per window', async () => {
    const api = workingApi();

    await renderPage(api);

    const eu = await screen.findByRole('region', { name: 'SLOs in eu-west-1' });
    expect(within(eu).getAllByTestId('slo-card')).toHaveLength(2);
    const table = screen.getByRole('table', {
      name: 'SLOs of quiz-service@eu-west-1',
    });
    const availability = within(table).getAllByRole('row')[1];
    // Burning twice the pace overspends the budget: -100% of 43 min.
    expect(
      within(availability).getByText('-100.00% (-43 min 12 s)'),
    ).toBeInTheDocument();
    expect(within(availability).getAllByText('2.00')).toHaveLength(2);
    expect(within(availability).getByText('—')).toBeInTheDocument();
    // A service without requests in the period says so.
    const quiet = screen.getByRole('table', {
      name: 'SLOs of api-gateway@eu-west-1',
    });
    expect(within(quiet).getAllByText('no data')).toHaveLength(3);
    expect(
      screen.getByRole('link', {
        name: 'Alerts of quiz-service in eu-west-1',
      }),
    ).toHaveAttribute('href', '/alerts?service=quiz-service&region=eu-west-1');
  });

  it('shows the KPIs of all regions and of each region the engine saw', async () => {
    const api = workingApi();

    await renderPage(api);

    const kpis = await screen.findByRole('table', { name: 'Business KPIs' });
    const rows = within(kpis).getAllByTestId('kpi-row');
    expect(rows.map(r => r.firstChild?.textContent)).toEqual([
      'All regions',
      'eu-west-1',
      'us-east-1',
    ]);
    expect(within(rows[0]).getByText('80.0% (8 of 10)')).toBeInTheDocument();
    expect(within(rows[0]).getByText('98.0% (49 of 50)')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('4.25 / 5 (12 responses)'),
    ).toBeInTheDocument();
  });

  it('asks for twelve consecutive 5-minute windows for the trend, in one region from the URL', async () => {
    const api = workingApi();

    await renderPage(api, '?region=us-east-1');

    expect(await screen.findByTestId('kpi-trend')).toBeInTheDocument();
    const trendCalls = api.getBusinessMetrics.mock.calls
      .map(([q]) => q)
      .filter(q => Date.parse(q.to!) - Date.parse(q.from!) === 5 * 60_000);
    expect(trendCalls).toHaveLength(12);
    for (let i = 1; i < 12; i++) {
      expect(trendCalls[i].from).toBe(trendCalls[i - 1].to);
    }
    expect(trendCalls.every(q => q.region === 'us-east-1')).toBe(true);
    // Only that region's SLOs.
    expect(
      screen.queryByRole('region', { name: 'SLOs in eu-west-1' }),
    ).toBeNull();
    expect(
      screen.getByRole('region', { name: 'SLOs in us-east-1' }),
    ).toBeInTheDocument();
  });

  it('shows the error panel when the engine is down', async () => {
    const error = await engineDown();
    const api = workingApi({
      listSlos: jest.fn().mockRejectedValue(error),
      getBusinessMetrics: jest.fn().mockRejectedValue(error),
    });

    await renderPage(api);

    await waitFor(() =>
      expect(
        screen.getAllByText(/ECONNREFUSED 127.0.0.1:5432/).length,
      ).toBeGreaterThanOrEqual(3),
    );
  });

  it('says what to do when there are no SLOs and no business metrics', async () => {
    const api = workingApi({
      listSlos: jest.fn().mockResolvedValue([]),
      getBusinessMetrics: jest.fn(async query => {
        const empty = businessMetrics(query.region ?? null, null);
        return {
          ...empty,
          quizzes: { started: null, completed: null, completionRate: null },
          safetyChecks: { total: null, compliant: null, complianceRate: null },
          invoices: { generated: null, processed: null },
          customerSatisfaction: { responses: null, average: null },
        };
      }),
    });

    await renderPage(api);

    expect(await screen.findByText('No SLOs')).toBeInTheDocument();
    expect(
      await screen.findByText('No business metrics in this window'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No business metrics in the last hour'),
    ).toBeInTheDocument();
  });

  it('polls the SLOs again without a reload', async () => {
    jest.useFakeTimers();
    try {
      const api = workingApi({
        listSlos: jest
          .fn()
          .mockResolvedValueOnce([])
          .mockResolvedValue([slo('quiz-service', 'eu-west-1')]),
      });

      await renderPage(api, '?region=eu-west-1');
      expect(await screen.findByText('No SLOs')).toBeInTheDocument();

      act(() => {
        jest.advanceTimersByTime(10_000);
      });
      await waitFor(() =>
        expect(screen.getAllByTestId('slo-card')).toHaveLength(1),
      );
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('trendWindows', () => {
  it('gives twelve back-to-back windows ending now', () => {
    const now = Date.parse('2026-12-03T11:00:00.000Z');

    const windows = trendWindows(now);

    expect(windows).toHaveLength(12);
    expect(windows[0].from).toBe('2026-12-03T10:00:00.000Z');
    expect(windows[11].to).toBe('2026-12-03T11:00:00.000Z');
  });
});
