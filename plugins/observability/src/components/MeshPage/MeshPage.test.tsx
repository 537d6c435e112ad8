import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { observabilityApiRef, ServiceGraph } from '../../api';
import { alertsRouteRef, meshRouteRef, tracesRouteRef } from '../../routes';
import { GRAPH, mockObservabilityApi } from '../../testing/fixtures';
import { syntheticServiceGraph } from '../../testing/syntheticGraph';
import { MeshPage } from './MeshPage';

async function renderPage(graph: ServiceGraph | Error, query = '') {
  const api = mockObservabilityApi({
    getServiceGraph: jest.fn(() =>
      graph instanceof Error ? Promise.reject(graph) : Promise.resolve(graph),
    ),
  });
  const result = await renderInTestApp(
    <TestApiProvider apis={[[observabilityApiRef, api]]}>
      <MeshPage />
    </TestApiProvider>,
    {
      mountPath: '/mesh',
      initialRouteEntries: [`/mesh${query}`],
      mountedRoutes: {
        '/mesh': meshRouteRef,
        '/traces-and-logs': tracesRouteRef,
        '/alerts': alertsRouteRef,
      },
    },
  );
  return { api, result };
}

describe('MeshPage', () => {
  it('draws services grouped by region, coloured by health, with labelled edges', async () => {
    const { api } = await renderPage(GRAPH, '?window=1h');

    expect(
      await screen.findByText('3 services, 1 calls, 2 regions.', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('eu-west-1')).toBeInTheDocument();
    expect(screen.getByText('us-east-1')).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Service quiz-service in eu-west-1, failing',
      }),
    ).toHaveAttribute('data-health', 'failing');
    expect(
      screen.getByRole('button', {
        name: 'Service api-gateway in us-east-1, degraded',
      }),
    ).toBeInTheDocument();

    const edge = screen.getByRole('button', {
      name: 'Call from api-gateway@eu-west-1 to quiz-service@eu-west-1',
    });
    expect(edge).toHaveTextContent('3.00 req/s · 20.0% · p95 2.50 s');
    expect(within(edge).getByLabelText('mutual TLS')).toBeInTheDocument();

    const window = api.getServiceGraph.mock.calls[0][0];
    expect(Date.parse(window.to!) - Date.parse(window.from!)).toBe(3_600_000);
  });

  it('opens the side panel of an edge with its RED numbers and links to its traces and logs', async () => {
    await renderPage(GRAPH, '?window=1h');

    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Call from api-gateway@eu-west-1 to quiz-service@eu-west-1',
      }),
    );

    const panel = await screen.findByRole('complementary', {
      name: 'Selection details',
    });
    expect(within(panel).getByText('every request')).toBeInTheDocument();
    expect(within(panel).getByText('20.0%')).toBeInTheDocument();
    expect(
      within(panel).getByRole('link', { name: 'Traces of quiz-service' }),
    ).toHaveAttribute(
      'href',
      '/traces-and-logs?tab=traces&service=quiz-service&window=1h',
    );
    expect(
      within(panel).getByRole('link', { name: 'Logs of quiz-service' }),
    ).toHaveAttribute(
      'href',
      '/traces-and-logs?tab=logs&service=quiz-service&window=1h',
    );
    expect(
      within(panel).getByRole('link', { name: 'Alerts of quiz-service' }),
    ).toHaveAttribute('href', '/alerts?service=quiz-service');
  });

  it('opens the node named in the URL', async () => {
    await renderPage(GRAPH, '?selected=quiz-service%40eu-west-1');

    const panel = await screen.findByRole('complementary', {
      name: 'Selection details',
    });
    expect(within(panel).getByText('failing')).toBeInTheDocument();
    expect(within(panel).getByText('2.50 s')).toBeInTheDocument();
  });

  it('keeps only the region and the service with its neighbours the URL asks for', async () => {
    await renderPage(GRAPH, '?region=eu-west-1&service=quiz-service');

    expect(
      await screen.findByText('2 services, 1 calls, 1 regions.', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', {
        name: 'Service api-gateway in us-east-1, degraded',
      }),
    ).not.toBeInTheDocument();
  });

  it('renders a synthetic mesh of 300 services', async () => {
    await renderPage(syntheticServiceGraph(300));

    expect(
      await screen.findByText(/300 services, \d+ calls, 3 regions\./),
    ).toBeInTheDocument();
    expect(screen.getByTestId('mesh-graph')).toHaveAttribute(
      'data-nodes',
      '300',
    );
    // Only what is in view is rendered; at least some services are.
    expect(
      screen.getAllByRole('button', { name: /^Service svc-/ }).length,
    ).toBeGreaterThan(0);
  });

  it('shows a clear error when the engine is down', async () => {
    await renderPage(new Error('Request failed with 503 Service Unavailable'));

    expect(
      await screen.findByText(
        'Error: Request failed with 503 Service Unavailable',
      ),
    ).toBeInTheDocument();
  });

  it('says what to do when no call was traced', async () => {
    await renderPage({ ...GRAPH, nodes: [], edges: [] });

    expect(
      await screen.findByText('No calls in this time range'),
    ).toBeInTheDocument();
    expect(screen.getByText(/traffic generator/)).toBeInTheDocument();
  });
});
