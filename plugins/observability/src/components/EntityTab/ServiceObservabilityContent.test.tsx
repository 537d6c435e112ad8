import { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { observabilityApiRef } from '../../api';
import { meshRouteRef, tracesRouteRef } from '../../routes';
import {
  GRAPH,
  log,
  mockObservabilityApi,
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

  it('shows a clear error in each card when the engine is down', async () => {
    const down = () => Promise.reject(new Error('observability is down'));
    const api = mockObservabilityApi({
      getPerformanceOverview: jest.fn(down),
      getServiceGraph: jest.fn(down),
      searchTraces: jest.fn(down),
      searchLogs: jest.fn(down),
    });

    await renderTab(api);

    expect(
      await screen.findAllByText('Error: observability is down'),
    ).toHaveLength(4);
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
    });

    await renderTab(api);

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
