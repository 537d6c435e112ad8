import { ResponseError } from '@backstage/errors';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ZeroTrustApi, zeroTrustApiRef } from '../../api';
import { zeroTrustRouteRef } from '../../routes';
import { DASHBOARD, mockZeroTrustApi } from '../../testing/fixtures';
import { ZeroTrustPage } from './ZeroTrustPage';

async function renderPage(api: ZeroTrustApi, query = '') {
  return renderInTestApp(
    <TestApiProvider apis={[[zeroTrustApiRef, api]]}>
      <ZeroTrustPage />
    </TestApiProvider>,
    {
      mountPath: '/zero-trust',
      initialRouteEntries: [`/zero-trust${query}`],
      mountedRoutes: { '/zero-trust': zeroTrustRouteRef },
    },
  );
}

function engineError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: status === 403 ? 'NotAllowedError' : 'Error', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}

describe('ZeroTrustPage', () => {
  it('lists the policies highest priority first with their conditions and actions', async () => {
    await renderPage(mockZeroTrustApi());

    const rows = await screen.findAllByTestId(/^policy-/);
    expect(rows.map(r => r.getAttribute('data-testid'))).toEqual([
      'policy-deny-documentation-networks',
      'policy-admin-requires-mfa',
    ]);
    expect(
      within(rows[1]).getByText(
        'subject.roles contains admin AND subject.mfa equals false',
      ),
    ).toBeInTheDocument();
    expect(within(rows[0]).getByText('deny')).toBeInTheDocument();
    expect(within(rows[0]).getByText('log')).toBeInTheDocument();
    expect(screen.getByText(/Version 3 from file/)).toBeInTheDocument();
  });

  it('sends the filled request and shows the decision with every condition explained', async () => {
    const api = mockZeroTrustApi();
    await renderPage(api);

    fireEvent.change(await screen.findByLabelText('User'), {
      target: { value: 'alice' },
    });
    fireEvent.change(screen.getByLabelText('Roles'), {
      target: { value: 'admin, reader' },
    });
    fireEvent.change(screen.getByLabelText('Client address'), {
      target: { value: '203.0.113.9' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Test decision' }));

    const decision = await screen.findByTestId('decision');
    expect(api.decide).toHaveBeenCalledWith({
      subject: {
        user: 'alice',
        roles: ['admin', 'reader'],
        groups: undefined,
        mfa: false,
        deviceTrusted: false,
      },
      resource: {
        type: undefined,
        service: undefined,
        path: undefined,
        sensitivity: undefined,
      },
      action: 'GET',
      context: {
        clientAddress: '203.0.113.9',
        country: undefined,
        region: undefined,
      },
    });
    expect(within(decision).getByText('require_mfa')).toBeInTheDocument();
    expect(
      within(decision).getByText(
        'Risk score 30: no_mfa +15, resource_sensitivity +15 (high)',
      ),
    ).toBeInTheDocument();
    const conditions = within(decision).getAllByTestId('explained-condition');
    expect(conditions.map(c => c.textContent)).toEqual([
      '✗ context.ip in_cidr ["192.0.2.0/24"] — the request has 203.0.113.9',
      '✓ subject.roles contains admin — the request has ["admin"]',
      '✓ subject.mfa equals false — the request has false',
    ]);
  });

  it("shows the engine's answer to a bad request", async () => {
    const api = mockZeroTrustApi({
      decide: jest.fn(async () => {
        throw await engineError(400, 'Invalid action: Required');
      }),
    });
    await renderPage(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Test decision' }),
    );
    expect(
      (await screen.findAllByText(/Invalid action: Required/))[0],
    ).toBeInTheDocument();
  });

  it('shows the risk distribution and threats of the window in the URL', async () => {
    const api = mockZeroTrustApi();
    await renderPage(api, '?window=24h');

    expect(await screen.findByText('brute_force: 2')).toBeInTheDocument();
    expect(screen.getByText('80-100: 1')).toBeInTheDocument();
    expect(screen.getByText('deny-high-risk: 5')).toBeInTheDocument();
    const window = api.getSecurityDashboard.mock.calls[0][0];
    expect(Date.parse(window.to) - Date.parse(window.from)).toBe(86_400_000);
  });

  it('says what to do when there are no security events', async () => {
    await renderPage(
      mockZeroTrustApi({
        getSecurityDashboard: jest.fn(async () => ({
          ...DASHBOARD,
          authentication: {
            attempts: 0,
            succeeded: 0,
            failed: 0,
            successRate: null,
          },
          threats: { total: 0, byType: [] },
          decisions: [],
          riskScores: DASHBOARD.riskScores.map(r => ({ ...r, count: 0 })),
        })),
      }),
    );

    expect(
      await screen.findByText('No security events in this window'),
    ).toBeInTheDocument();
  });

  it('unblocks an address and reads the blocks again', async () => {
    const api = mockZeroTrustApi();
    await renderPage(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Unblock 198.51.100.23' }),
    );

    expect(
      await screen.findByText('Unblocked 198.51.100.23.'),
    ).toBeInTheDocument();
    expect(api.unblock).toHaveBeenCalledWith('198.51.100.23');
    await waitFor(() => expect(api.listBlocks).toHaveBeenCalledTimes(2));
  });

  it('says clearly when the unblock permission is denied', async () => {
    const api = mockZeroTrustApi({
      unblock: jest.fn(async () => {
        throw await engineError(403, 'zeroTrust.block.delete denied');
      }),
    });
    await renderPage(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Unblock 198.51.100.23' }),
    );

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'You may not unblock 198.51.100.23: the zeroTrust.block.delete permission was denied (403).',
    );
    expect(screen.getByTestId('blocked-address')).toBeInTheDocument();
  });

  it('shows the audit entries newest first with the verified chain, payloads as text', async () => {
    const api = mockZeroTrustApi();
    await renderPage(api);

    const entries = await screen.findAllByTestId('audit-entry');
    expect(entries[0]).toHaveTextContent('ip.blocked');
    expect(entries[0]).toHaveTextContent('<b>not bold</b>');
    expect(entries[0].querySelector('b')).toBeNull();
    expect(screen.getByTestId('audit-verification')).toHaveTextContent(
      '✓ Chain verified: 2 entries, head #2',
    );
    expect(api.listAudit).toHaveBeenCalledWith({ afterSeq: 0, limit: 50 });
  });

  it('names the broken link of a tampered chain', async () => {
    await renderPage(
      mockZeroTrustApi({
        verifyAudit: jest.fn(async () => ({
          valid: false,
          entries: 2,
          head: { seq: 2, hash: 'b'.repeat(64) },
          problem: { seq: 2, reason: 'hash does not match its content' },
        })),
      }),
    );

    expect(
      await screen.findByText(
        '✗ Chain broken at entry #2: hash does not match its content',
      ),
    ).toBeInTheDocument();
  });

  it('shows empty states that say what to do', async () => {
    await renderPage(
      mockZeroTrustApi({
        getPolicies: jest.fn(async () => ({
          version: 0,
          document: { policies: [] },
        })),
        listBlocks: jest.fn(async () => []),
        verifyAudit: jest.fn(async () => ({ valid: true, entries: 0 })),
      }),
    );

    expect(await screen.findByText('No policies in force')).toBeInTheDocument();
    expect(
      await screen.findByText('No address is blocked'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('The audit log is empty'),
    ).toBeInTheDocument();
  });

  it('shows an error panel in every view when the engines are down', async () => {
    const down = async () => {
      throw await engineError(503, 'engine unavailable');
    };
    await renderPage(
      mockZeroTrustApi({
        getPolicies: jest.fn(down),
        listBlocks: jest.fn(down),
        verifyAudit: jest.fn(down),
        getSecurityDashboard: jest.fn(down),
      }),
    );

    await waitFor(() =>
      expect(
        screen.getAllByText(/Request failed with 503/).length,
      ).toBeGreaterThanOrEqual(4),
    );
  });
});
