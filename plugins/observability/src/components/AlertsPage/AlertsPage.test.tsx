import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { observabilityApiRef } from '../../api';
import { alertsRouteRef } from '../../routes';
import {
  alert,
  engineDown,
  mockObservabilityApi,
} from '../../testing/fixtures';
import { AlertsPage } from './AlertsPage';
import { SWRConfig } from 'swr';

async function renderPage(
  api: ReturnType<typeof mockObservabilityApi>,
  query = '',
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  // usePermission keeps answers in SWR's cache, which would otherwise
  // carry one test's answer into the next for its deduping interval.
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[[observabilityApiRef, api], mockApis.permission({ authorize })]}
      >
        <AlertsPage />
      </TestApiProvider>
    </SWRConfig>,
    {
      mountPath: '/alerts',
      initialRouteEntries: [`/alerts${query}`],
      mountedRoutes: { '/alerts': alertsRouteRef },
    },
  );
}

function page(alerts = [alert()], total = alerts.length) {
  return { alerts, total, offset: 0, limit: 50 };
}

function workingApi(overrides = {}) {
  return mockObservabilityApi({
    listAlerts: jest.fn().mockResolvedValue(page()),
    getAlertHistory: jest.fn().mockResolvedValue({
      from: '2026-11-26T10:00:00.000Z',
      to: '2026-12-03T10:00:00.000Z',
      services: [
        {
          service: 'quiz-service',
          region: 'eu-west-1',
          alerts: 3,
          acknowledged: 2,
          resolved: 1,
          mttaSeconds: 150,
          mttrSeconds: 3900,
        },
      ],
    }),
    listSilences: jest.fn().mockResolvedValue([]),
    ...overrides,
  });
}

describe('AlertsPage', () => {
  it('lists alerts with the filters from the URL, and the history with MTTA and MTTR', async () => {
    const api = workingApi({
      listAlerts: jest.fn().mockResolvedValue(
        page([
          alert({
            state: 'acknowledged',
            acknowledgedBy: 'user:default/jane.doe',
            acknowledgedAt: '2026-12-03T10:02:30.000Z',
            acknowledgeComment: '<b>on it</b>',
          }),
        ]),
      ),
    });

    await renderPage(
      api,
      '?state=acknowledged&service=quiz-service&region=eu-west-1',
    );

    const rows = await screen.findAllByTestId('alert-row');
    expect(rows).toHaveLength(1);
    expect(api.listAlerts).toHaveBeenCalledWith({
      state: 'acknowledged',
      severity: undefined,
      service: 'quiz-service',
      region: 'eu-west-1',
      offset: 0,
      limit: 50,
    });
    // The user as the engine recorded them, and the comment as text.
    expect(
      within(rows[0]).getByText(
        'Acknowledged by user:default/jane.doe at 2026-12-03 10:02:30.000: <b>on it</b>',
      ),
    ).toBeInTheDocument();
    expect(document.querySelector('b')).toBeNull();
    // An acknowledged alert can be resolved, not acknowledged again.
    expect(
      within(rows[0]).queryByRole('button', { name: 'Acknowledge' }),
    ).toBeNull();
    expect(
      within(rows[0]).getByRole('button', { name: 'Resolve' }),
    ).toBeInTheDocument();

    const history = await screen.findByRole('table', {
      name: 'Alert history',
    });
    expect(within(history).getByText('2 min 30 s')).toBeInTheDocument();
    expect(within(history).getByText('1 h 5 min')).toBeInTheDocument();
  });

  it('acknowledges with a comment and shows the answer on the next load', async () => {
    const acknowledged = alert({
      state: 'acknowledged',
      acknowledgedBy: 'user:default/guest',
      acknowledgeComment: 'looking',
    });
    const api = workingApi({
      listAlerts: jest
        .fn()
        .mockResolvedValueOnce(page())
        .mockResolvedValue(page([acknowledged])),
      acknowledgeAlert: jest.fn().mockResolvedValue(acknowledged),
    });

    await renderPage(api);
    const row = (await screen.findAllByTestId('alert-row'))[0];
    fireEvent.click(
      await within(row).findByRole('button', { name: 'Acknowledge' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Comment (optional)'), {
      target: { value: 'looking' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Acknowledge' }),
    );

    await waitFor(() =>
      expect(
        screen.getByText(/Acknowledged by user:default\/guest/),
      ).toBeInTheDocument(),
    );
    expect(api.acknowledgeAlert).toHaveBeenCalledWith(
      '0123456789abcdef0123456789abcdef',
      'looking',
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('resolves only with a reason and shows a refusal in the dialog', async () => {
    const api = workingApi({
      resolveAlert: jest
        .fn()
        .mockRejectedValue(
          new Error("You are not allowed 'observability.alert.update'"),
        ),
    });

    await renderPage(api);
    const row = (await screen.findAllByTestId('alert-row'))[0];
    fireEvent.click(
      await within(row).findByRole('button', { name: 'Resolve' }),
    );
    const dialog = await screen.findByRole('dialog');
    const submit = within(dialog).getByRole('button', { name: 'Resolve' });
    expect(submit).toBeDisabled();

    fireEvent.change(within(dialog).getByLabelText(/Reason/), {
      target: { value: 'rolled back' },
    });
    fireEvent.click(submit);

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "You are not allowed 'observability.alert.update'",
    );
    expect(api.resolveAlert).toHaveBeenCalledWith(
      '0123456789abcdef0123456789abcdef',
      'rolled back',
    );
  });

  it("silences with matchers chosen from the alert's labels and an expiry", async () => {
    const api = workingApi({
      createSilence: jest.fn().mockResolvedValue({}),
    });

    await renderPage(api);
    const row = (await screen.findAllByTestId('alert-row'))[0];
    fireEvent.click(
      await within(row).findByRole('button', { name: 'Silence' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByLabelText('region=eu-west-1'));
    fireEvent.change(within(dialog).getByLabelText(/Why silence it/), {
      target: { value: 'deploying' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Silence' }));

    await waitFor(() =>
      expect(api.createSilence).toHaveBeenCalledWith({
        matchers: [
          { name: 'alertname', value: 'slo-availability-fast' },
          { name: 'service', value: 'quiz-service' },
        ],
        comment: 'deploying',
        duration: '1h',
      }),
    );
  });

  it('hides the actions from a user without observability.alert.update', async () => {
    const api = workingApi({
      listSilences: jest.fn().mockResolvedValue([
        {
          id: 's1',
          matchers: [{ name: 'service', value: 'quiz-service' }],
          comment: 'deploying',
          createdBy: 'user:default/jane.doe',
          createdAt: '2026-12-03T10:00:00.000Z',
          startsAt: '2026-12-03T10:00:00.000Z',
          endsAt: '2026-12-03T11:00:00.000Z',
          state: 'active',
        },
      ]),
    });

    await renderPage(api, '', AuthorizeResult.DENY);

    expect(
      await screen.findByText(
        /needs the observability.alert.update permission/,
      ),
    ).toBeInTheDocument();
    const row = screen.getAllByTestId('alert-row')[0];
    expect(within(row).queryByRole('button')).toBeNull();
    const silences = await screen.findByRole('table', { name: 'Silences' });
    expect(
      within(silences).getByText('service=quiz-service'),
    ).toBeInTheDocument();
    expect(within(silences).queryByRole('button', { name: 'End' })).toBeNull();
  });

  it('changes a filter in the URL and starts again at the first page', async () => {
    const api = workingApi();

    await renderPage(api, '?offset=50');
    await screen.findAllByTestId('alert-row');
    expect(api.listAlerts).toHaveBeenLastCalledWith(
      expect.objectContaining({ offset: 50 }),
    );

    const service = screen.getByLabelText('Service');
    fireEvent.change(service, { target: { value: 'api-gateway' } });
    fireEvent.keyDown(service, { key: 'Enter' });

    await waitFor(() =>
      expect(api.listAlerts).toHaveBeenLastCalledWith(
        expect.objectContaining({ service: 'api-gateway', offset: 0 }),
      ),
    );
  });

  it('shows the error panel when the engine is down', async () => {
    const error = await engineDown();
    const api = workingApi({
      listAlerts: jest.fn().mockRejectedValue(error),
      getAlertHistory: jest.fn().mockRejectedValue(error),
      listSilences: jest.fn().mockRejectedValue(error),
    });

    await renderPage(api);

    expect(
      (await screen.findAllByText(/ECONNREFUSED 127.0.0.1:5432/)).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('says what to do when nothing matches', async () => {
    const api = workingApi({
      listAlerts: jest.fn().mockResolvedValue(page([])),
      getAlertHistory: jest.fn().mockResolvedValue({
        from: 'a',
        to: 'b',
        services: [],
      }),
    });

    await renderPage(api);

    expect(await screen.findByText('No alerts match')).toBeInTheDocument();
    expect(
      await screen.findByText('No alerts in this window'),
    ).toBeInTheDocument();
    expect(await screen.findByText('No silences')).toBeInTheDocument();
  });

  it('polls again without a reload', async () => {
    jest.useFakeTimers();
    try {
      const api = workingApi({
        listAlerts: jest
          .fn()
          .mockResolvedValueOnce(page([]))
          .mockResolvedValue(page()),
      });

      await renderPage(api);
      expect(await screen.findByText('No alerts match')).toBeInTheDocument();

      act(() => {
        jest.advanceTimersByTime(10_000);
      });
      await waitFor(() =>
        expect(screen.getAllByTestId('alert-row')).toHaveLength(1),
      );
    } finally {
      jest.useRealTimers();
    }
  });
});
