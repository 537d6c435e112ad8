import { ResponseError } from '@backstage/errors';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { RegionsApi, regionsApiRef, RouteDecision } from '../../api';
import { regionsRouteRef } from '../../routes';
import { mockRegionsApi } from '../../testing/fixtures';
import { RegionsPage } from './RegionsPage';

async function renderPage(api: RegionsApi, query = '') {
  return renderInTestApp(
    <TestApiProvider apis={[[regionsApiRef, api]]}>
      <RegionsPage />
    </TestApiProvider>,
    {
      mountPath: '/regions',
      initialRouteEntries: [`/regions${query}`],
      mountedRoutes: { '/regions': regionsRouteRef },
    },
  );
}

async function backendDown(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}

describe('RegionsPage', () => {
  it('shows each region on the map and in the table with health, colour, traffic, SLO budget and alerts', async () => {
    await renderPage(mockRegionsApi());

    const eu = await screen.findByTestId('region-row-eu-west-1');
    expect(within(eu).getByText('healthy')).toBeInTheDocument();
    expect(within(eu).getByText('green')).toBeInTheDocument();
    expect(within(eu).getByText('2 of 2 applications')).toBeInTheDocument();
    expect(within(eu).getByText('12.5 req/s')).toBeInTheDocument();
    expect(within(eu).getByText('25.0%')).toBeInTheDocument();
    expect(
      within(eu).getByText('api-gateway@eu-west-1 availability'),
    ).toBeInTheDocument();
    expect(within(eu).getByText('1 objectives breached')).toBeInTheDocument();
    expect(
      within(eu).getByText('2 firing, 1 acknowledged'),
    ).toBeInTheDocument();

    const us = screen.getByTestId('region-row-us-east-1');
    expect(within(us).getByText('down')).toBeInTheDocument();
    expect(within(us).getByText('mixed')).toBeInTheDocument();
    expect(within(us).getByText('eu-west-1')).toBeInTheDocument();

    const ap = screen.getByTestId('region-row-ap-southeast-1');
    expect(within(ap).getByText('Argo CD answered 401')).toBeInTheDocument();

    expect(
      screen.getByRole('button', { name: 'Region us-east-1, down' }),
    ).toHaveAttribute('data-health', 'down');
    expect(
      screen.getByLabelText('Clients of us-east-1 are served by eu-west-1'),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the regions engine is down', async () => {
    const api = mockRegionsApi({
      listRegions: jest.fn(async () => {
        throw await backendDown(503, 'regions engine unavailable');
      }),
    });
    await renderPage(api);

    expect(
      (await screen.findAllByText(/regions engine unavailable/))[0],
    ).toBeInTheDocument();
    expect(screen.queryByTestId('region-row-eu-west-1')).toBeNull();
  });

  it('says what to do when no region is configured', async () => {
    await renderPage(mockRegionsApi({ listRegions: jest.fn(async () => []) }));

    expect(
      await screen.findByText('No regions configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/regions\.list in app-config\.yaml/),
    ).toBeInTheDocument();
  });

  it('keeps the page when a signal fails and says which one', async () => {
    const api = mockRegionsApi({
      getSlos: jest.fn(async () => {
        throw new Error('404 Not Found');
      }),
    });
    await renderPage(api);

    const eu = await screen.findByTestId('region-row-eu-west-1');
    expect(within(eu).getByText('no SLO data')).toBeInTheDocument();
    expect(
      screen.getByText('SLOs could not be read: 404 Not Found'),
    ).toBeInTheDocument();
  });

  it('selects a region from the map and shows its failover history', async () => {
    const api = mockRegionsApi();
    await renderPage(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Region us-east-1, down' }),
    );

    const changes = await screen.findByRole('list', { name: 'State changes' });
    expect(api.getRegion).toHaveBeenCalledWith('us-east-1', 300);
    const items = within(changes).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      '2026-12-03 10:05:00 UTC: degraded → down',
      '2026-12-03 10:04:59 UTC: healthy → degraded',
    ]);
    expect(
      screen.getByText('/api/regions/simulation/us-east-1/health: 503 (3 ms)'),
    ).toBeInTheDocument();
  });

  it('shows where clients go and the load of each survivor for the regions failed in the URL', async () => {
    const api = mockRegionsApi();
    await renderPage(api, '?down=eu-west-1');

    const row = await screen.findByTestId('what-if-us-east-1');
    expect(api.whatIf).toHaveBeenCalledWith(['eu-west-1']);
    expect(within(row).getByText('+12.0 req/s')).toBeInTheDocument();
    expect(within(row).getByText('150.0% (over capacity)')).toBeInTheDocument();
    expect(
      screen.getByText('81.0.0.0/8: eu-west-1 → us-east-1'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('checkbox', { name: 'Fail eu-west-1' }),
    ).toBeChecked();

    fireEvent.click(screen.getByRole('checkbox', { name: 'Fail us-east-1' }));
    await screen.findByTestId('what-if-us-east-1');
    expect(api.whatIf).toHaveBeenLastCalledWith(['eu-west-1', 'us-east-1']);
  });

  it('routes an address typed into the route tester and shows the reason as text', async () => {
    const api = mockRegionsApi({
      route: jest.fn(async ip => ({
        ip,
        clientAddress: ip,
        nginxRegion: 'us-east-1',
        region: 'eu-west-1',
        failedOver: true,
        reason: 'us-east-1 is down <img src=x onerror=alert(1)>',
      })),
    });
    await renderPage(api);

    fireEvent.change(await screen.findByLabelText('Client address'), {
      target: { value: '8.8.8.8' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Route' }));

    const answer = await screen.findByTestId('route-decision');
    expect(api.route).toHaveBeenCalledWith('8.8.8.8', undefined);
    expect(within(answer).getByText('Served by eu-west-1')).toBeInTheDocument();
    expect(
      within(answer).getByText(
        'us-east-1 is down <img src=x onerror=alert(1)>',
      ),
    ).toBeInTheDocument();
    expect(answer.querySelector('img')).toBeNull();
  });

  it('shows the engine naming a bad address', async () => {
    const api = mockRegionsApi({
      route: jest.fn<Promise<RouteDecision>, [string, string?]>(async () => {
        throw await backendDown(400, "'nope' is not an IP address");
      }),
    });
    await renderPage(api, '?ip=nope');

    expect(
      (await screen.findAllByText(/'nope' is not an IP address/))[0],
    ).toBeInTheDocument();
  });
});
