import { BackendProcess } from '@internal/backend-test-process';
import {
  localProfile,
  signInAsGuest,
  startPortalBackend,
} from './__testUtils__/portalBackend';

/*
 * The portal follows its own zero-trust rules: unblocking addresses and
 * editing policies are Backstage permissions that the permission policy
 * hands to the zero-trust engine, over HTTP, in the whole backend.
 */

jest.setTimeout(180_000);

describe('the portal and its zero-trust engine', () => {
  let backend: BackendProcess;
  let token: string;

  beforeAll(async () => {
    backend = startPortalBackend(localProfile());
    await backend.waitUntilReady();
    // The local guest is a member of the platform team.
    token = await signInAsGuest(backend);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${backend.baseUrl}/api/zero-trust${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('serves the policy file as version 1', async () => {
    const response = await call('GET', '/policies');

    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ version: 1, source: 'file' });
    expect(body.document.policies.map((p: { id: string }) => p.id)).toContain(
      'portal-zero-trust-administration',
    );
  });

  it('lets the platform team unblock while the policies allow it, and not after they change', async () => {
    // Allowed: the permission passes and the engine finds nothing to lift.
    const allowed = await call('DELETE', '/blocks/203.0.113.250');
    expect(allowed.status).toBe(404);
    expect((await allowed.json()).error.message).toBe(
      "Address '203.0.113.250' is not blocked",
    );

    // A policy set without the portal's administration policy.
    const update = await call('PUT', '/policies', {
      comment: 'reads only',
      document: {
        policies: [
          {
            id: 'reads',
            priority: 1,
            actions: ['allow'],
            conditions: { field: 'action', operator: 'equals', value: 'GET' },
          },
        ],
      },
    });
    expect(update.status).toBe(201);

    const refused = await call('DELETE', '/blocks/203.0.113.250');
    expect(refused.status).toBe(403);
    const again = await call('PUT', '/policies', {
      document: { policies: [] },
    });
    expect(again.status).toBe(403);

    const audit = await call('GET', '/audit/verify');
    expect(await audit.json()).toMatchObject({ valid: true });
  });
});
