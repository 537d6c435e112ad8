import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { observabilityApiRef } from '../../api';
import { tracesRouteRef } from '../../routes';
import {
  log,
  mockObservabilityApi,
  SPANS,
  TRACE_ID,
  TRACES,
} from '../../testing/fixtures';
import { TracesPage } from './TracesPage';

async function renderPage(
  api: ReturnType<typeof mockObservabilityApi>,
  query = '',
) {
  return renderInTestApp(
    <TestApiProvider apis={[[observabilityApiRef, api]]}>
      <TracesPage />
    </TestApiProvider>,
    {
      mountPath: '/traces-and-logs',
      initialRouteEntries: [`/traces-and-logs${query}`],
      mountedRoutes: { '/traces-and-logs': tracesRouteRef },
    },
  );
}

async function downResponse() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: 'Error',
          message: 'connect ECONNREFUSED 127.0.0.1:5432',
        },
        response: { statusCode: 503 },
      }),
      { status: 503, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

describe('TracesPage', () => {
  it('searches traces with the service and window from the URL and filters by status', async () => {
    const api = mockObservabilityApi({
      searchTraces: jest.fn().mockResolvedValue(TRACES),
    });

    await renderPage(api, '?service=api-gateway&window=1h&status=error');

    expect(await screen.findByText('POST /invoices')).toBeInTheDocument();
    expect(screen.queryByText('GET /quizzes')).not.toBeInTheDocument();
    expect(screen.getByText('1 of 2 traces')).toBeInTheDocument();
    const query = api.searchTraces.mock.calls[0][0];
    expect(query.service).toBe('api-gateway');
    // The status filter is the page's own: it asks for more traces to filter.
    expect(query.limit).toBe(500);
    expect(Date.parse(query.to!) - Date.parse(query.from!)).toBe(3_600_000);
  });

  it('filters by operation and duration range', async () => {
    const api = mockObservabilityApi({
      searchTraces: jest.fn().mockResolvedValue(TRACES),
    });

    await renderPage(api, '?operation=quizzes&maxMs=500');

    expect(await screen.findByText('GET /quizzes')).toBeInTheDocument();
    expect(screen.queryByText('POST /invoices')).not.toBeInTheDocument();
  });

  it('opens the waterfall of the trace in the URL with spans nested by parent', async () => {
    const api = mockObservabilityApi({
      searchTraces: jest.fn().mockResolvedValue(TRACES),
      getTrace: jest
        .fn()
        .mockResolvedValue({ traceId: TRACE_ID, spans: [...SPANS].reverse() }),
    });

    await renderPage(api, `?trace=${TRACE_ID}`);

    const rows = await screen.findAllByTestId('span-row');
    expect(rows.map(row => row.getAttribute('aria-level'))).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(rows[2]).toHaveTextContent('SELECT quizzes');
    expect(api.getTrace).toHaveBeenCalledWith(TRACE_ID);

    // The attributes panel shows the selected span's attributes as text.
    fireEvent.click(rows[1]);
    const details = screen.getByRole('region', { name: 'Span attributes' });
    expect(within(details).getByText('<b>select</b>')).toBeInTheDocument();
    expect(details.querySelector('b')).toBeNull();

    expect(
      screen.getByRole('link', { name: 'Logs of this trace' }),
    ).toHaveAttribute(
      'href',
      `/traces-and-logs?tab=logs&traceId=${TRACE_ID}&window=24h`,
    );
  });

  it('shows progress until the engine answers', async () => {
    const api = mockObservabilityApi({
      searchTraces: jest.fn(() => new Promise<never>(() => {})),
    });

    await renderPage(api);

    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('shows a clear error when the engine is down', async () => {
    const error = await downResponse();
    const api = mockObservabilityApi({
      searchTraces: jest.fn().mockRejectedValue(error),
    });

    await renderPage(api);

    expect(
      await screen.findByText(/ECONNREFUSED 127.0.0.1:5432/),
    ).toBeInTheDocument();
  });

  it('says what to do when no trace matches', async () => {
    const api = mockObservabilityApi({
      searchTraces: jest.fn().mockResolvedValue([]),
    });

    await renderPage(api);

    expect(await screen.findByText('No traces match')).toBeInTheDocument();
    expect(screen.getByText(/Widen the time range/)).toBeInTheDocument();
  });

  it('shows a log message containing markup as text and links to its trace', async () => {
    const api = mockObservabilityApi({
      searchLogs: jest.fn().mockResolvedValue({
        logs: [
          log('<script>alert("x")</script>', { traceId: TRACE_ID }),
          log('plain message'),
        ],
      }),
    });

    await renderPage(
      api,
      `?tab=logs&severity=WARN&q=alert&traceId=${TRACE_ID}`,
    );

    expect(
      await screen.findByText('<script>alert("x")</script>'),
    ).toBeInTheDocument();
    expect(document.querySelector('script')).toBeNull();
    expect(
      screen.getByRole('link', { name: `Open trace ${TRACE_ID}` }),
    ).toHaveAttribute(
      'href',
      `/traces-and-logs?tab=traces&trace=${TRACE_ID}&window=24h`,
    );
    expect(api.searchLogs).toHaveBeenCalledWith(
      expect.objectContaining({
        severity: 'WARN',
        text: 'alert',
        traceId: TRACE_ID,
        limit: 100,
      }),
    );
  });

  it('pages through older logs with the cursor and back', async () => {
    const api = mockObservabilityApi({
      searchLogs: jest.fn(async query =>
        query.cursor
          ? { logs: [log('older record')] }
          : { logs: [log('newest record')], nextCursor: 'c1' },
      ),
    });

    await renderPage(api, '?tab=logs');

    expect(await screen.findByText('newest record')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('older record')).toBeInTheDocument();
    expect(api.searchLogs).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: 'c1' }),
    );
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();

    fireEvent.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await screen.findByText('newest record')).toBeInTheDocument();
  });

  it('says what to do when no log record matches', async () => {
    const api = mockObservabilityApi({
      searchLogs: jest.fn().mockResolvedValue({ logs: [] }),
    });

    await renderPage(api, '?tab=logs');

    expect(await screen.findByText('No log records match')).toBeInTheDocument();
  });

  it('polls again without a reload', async () => {
    jest.useFakeTimers();
    try {
      const api = mockObservabilityApi({
        searchTraces: jest
          .fn()
          .mockResolvedValueOnce([])
          .mockResolvedValue(TRACES),
      });

      await renderPage(api);
      expect(await screen.findByText('No traces match')).toBeInTheDocument();

      act(() => {
        jest.advanceTimersByTime(10_000);
      });
      await waitFor(() =>
        expect(screen.getByText('GET /quizzes')).toBeInTheDocument(),
      );
    } finally {
      jest.useRealTimers();
    }
  });
});
