import { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { observabilityApiRef } from '../../api';
import {
  alertsRouteRef,
  meshRouteRef,
  slosRouteRef,
  tracesRouteRef,
} from '../../routes';
import {
  alert,
  GRAPH,
  log,
  mockObservabilityApi,
  slo,
  TRACES,
} from '../../testing/fixtures';
import { ServiceObservabilityContent } from './ServiceObservabilityContent';

function component(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'api-gateway', annotations },
    spec: { type: 'service', owner: 'platform', lifecycle: 'production' },
  };
}

const SERVICE = { 'tms.example.com/service-name': 'api-gateway' };

async function renderTab(
  api: ReturnType<typeof mockObservabilityApi>,
  entity = component(SERVICE),
) {
  return renderInTestApp(
    <TestApiProvider apis={[[observabilityApiRef, api]]}>
      <EntityProvider entity={entity}>
        <ServiceObservabilityContent />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/mesh': meshRouteRef,
        '/traces-and-logs': tracesRouteRef,
        '/alerts': alertsRouteRef,
        '/slos-and-kpis': slosRouteRef,
      },
    },
  );
}

function workingApi() {
  return mockObservabilityApi({
    getPerformanceOverview: jest.fn().mockResolvedValue({
      from: GRAPH.from,
      to: GRAPH.to,
      sla: { availability: 0.999, p95Ms: 2000, errorRate: 0.01 },
      services: GRAPH.nodes,
    }),
    getServiceGraph: jest.fn().mockResolvedValue(GRAPH),
    searchTraces: jest.fn().mockResolvedValue(TRACES),
    searchLogs: jest
      .fn()
      .mockResolvedValue({ logs: [log('<img src=x onerror=alert(1)>')] }),
    listSlos: jest
      .fn()
      .mockResolvedValue([
        slo('api-gateway', 'eu-west-1', 0.5),
        slo('quiz-service', 'eu-west-1', 2),
      ]),
    getAlertGroups: jest.fn().mockResolvedValue([
      {
        service: 'api-gateway',
        region: 'eu-west-1',
        firing: 1,
        acknowledged: 0,
        alerts: [
          alert({
            service: 'api-gateway',
            annotations: { summary: '<script>x</script> gateway burns' },
          }),
        ],
      },
      {
        service: 'quiz-service',
        region: 'eu-west-1',
        firing: 1,
        acknowledged: 0,
        alerts: [alert()],
      },
    ]),
  });
}

describe('ServiceObservabilityContent', () => {
  it("shows the service's numbers per region, neighbours, traces and logs", async () => {
    const api = workingApi();

    await renderTab(api);

    const regions = await screen.findByRole('table', {
      name: 'Requests per region',
    });
    // Only api-gateway's rows, one per region it served in.
    expect(within(regions).getAllByRole('row')).toHaveLength(3);
    expect(within(regions).getByText('eu-west-1')).toBeInTheDocument();
    expect(within(regions).getByText('2.00%')).toBeInTheDocument();

    const neighbours = await screen.findByRole('table', {
      name: 'Mesh neighbours',
    });
    expect(within(neighbours).getByText('calls')).toBeInTheDocument();
    expect(
      within(neighbours).getByText('quiz-service@eu-west-1'),
    ).toBeInTheDocument();

    expect(await screen.findByText('POST /invoices')).toBeInTheDocument();
    expect(
      await screen.findByText('<img src=x onerror=alert(1)>'),
    ).toBeInTheDocument();
    expect(document.querySelector('img')).toBeNull();

    expect(api.searchTraces).toHaveBeenCalledWith({
      service: 'api-gateway',
      limit: 10,
    });
    expect(screen.getByText('Open in the mesh').closest('a')).toHaveAttribute(
      'href',
      '/mesh?service=api-gateway',
    );
  });

  it("shows the service's open alerts and SLOs, linking to their pages", async () => {
    const api = workingApi();

    await renderTab(api);

    const open = await screen.findByRole('table', { name: 'Open alerts' });
    expect(within(open).getAllByRole('row')).toHaveLength(2);
    expect(
      within(open).getByText('<script>x</script> gateway burns'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'All alerts of api-gateway' }),
    ).toHaveAttribute('href', '/alerts?service=api-gateway');

    const slos = await screen.findByRole('table', { name: 'Service SLOs' });
    // Three objectives of api-gateway in eu-west-1; quiz-service's left out.
    expect(within(slos).getAllByRole('row')).toHaveLength(4);
    expect(within(slos).getAllByText('5m 0.50 · 1h 0.50 · 6h —')).toHaveLength(
      3,
    );
    expect(
      screen.getByRole('link', { name: /All SLOs of this service/ }),
    ).toHaveAttribute('href', '/slos-and-kpis?service=api-gateway');
  });

  it('shows a clear error in each card when the engine is down', async () => {
    const down = () => Promise.reject(new Error('observability is down'));
    const api = mockObservabilityApi({
      getPerformanceOverview: jest.fn(down),
      getServiceGraph: jest.fn(down),
      searchTraces: jest.fn(down),
      searchLogs: jest.fn(down),
      listSlos: jest.fn(down),
      getAlertGroups: jest.fn(down),
    });

    await renderTab(api);

    expect(
      await screen.findAllByText('Error: observability is down'),
    ).toHaveLength(6);
  });

  it('says what to do when the service sent nothing yet', async () => {
    const api = mockObservabilityApi({
      getPerformanceOverview: jest.fn().mockResolvedValue({
        from: GRAPH.from,
        to: GRAPH.to,
        sla: { availability: 0.999, p95Ms: 2000, errorRate: 0.01 },
        services: [],
      }),
      getServiceGraph: jest
        .fn()
        .mockResolvedValue({ ...GRAPH, nodes: [], edges: [] }),
      searchTraces: jest.fn().mockResolvedValue([]),
      searchLogs: jest.fn().mockResolvedValue({ logs: [] }),
      listSlos: jest.fn().mockResolvedValue([]),
      getAlertGroups: jest.fn().mockResolvedValue([]),
    });

    await renderTab(api);

    expect(
      await screen.findByText('No open alerts for api-gateway'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No SLOs for api-gateway yet'),
    ).toBeInTheDocument();

    expect(
      await screen.findByText(
        'No requests to api-gateway in the last 15 minutes',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No traces of api-gateway in the last hour'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No log records of api-gateway in the last hour'),
    ).toBeInTheDocument();
  });

  it('explains the annotation when the component has none', async () => {
    const api = mockObservabilityApi();

    await renderTab(api, component());

    expect(
      await screen.findByText(
        /has no tms.example.com\/service-name annotation/,
      ),
    ).toBeInTheDocument();
    expect(api.searchTraces).not.toHaveBeenCalled();
  });
});
