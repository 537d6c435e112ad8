import { mockServices } from '@backstage/backend-test-utils';
import { SecurityEventSender } from './SecurityEventSender';

function sender(fetchFn: typeof fetch, maxRetries = 3) {
  return SecurityEventSender.create({
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    fetch: fetchFn,
    sender: { retryBaseMs: 1, flushIntervalMs: 5, maxRetries },
  });
}

describe('SecurityEventSender', () => {
  it('sends OTLP/JSON log records with the event contract', async () => {
    const bodies: any[] = [];
    const urls: string[] = [];
    const events = sender(async (url, init) => {
      urls.push(String(url));
      bodies.push(JSON.parse(String(init!.body)));
      return new Response('{}', { status: 200 });
    });

    events.emit(
      'security.decision',
      'deny GET',
      {
        'security.decision': 'deny',
        'security.risk_score': 75,
        'security.policy.id': 'deny-high-risk',
        'client.address': '10.1.2.3',
        'user.name': undefined,
      },
      { atMs: 1_700_000_000_123 },
    );
    await events.flush();

    expect(urls).toEqual([expect.stringMatching(/\/observability\/v1\/logs$/)]);
    const resourceLogs = bodies[0].resourceLogs[0];
    expect(resourceLogs.resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'zero-trust-engine' } },
    ]);
    const record = resourceLogs.scopeLogs[0].logRecords[0];
    expect(record).toMatchObject({
      eventName: 'security.decision',
      timeUnixNano: '1700000000123000000',
      severityText: 'INFO',
      body: { stringValue: 'deny GET' },
    });
    // Integers go as intValue; attributes without a value are left out.
    expect(record.attributes).toEqual([
      { key: 'security.decision', value: { stringValue: 'deny' } },
      { key: 'security.risk_score', value: { intValue: '75' } },
      { key: 'security.policy.id', value: { stringValue: 'deny-high-risk' } },
      { key: 'client.address', value: { stringValue: '10.1.2.3' } },
    ]);
  });

  it('retries with backoff and shows failures in its health', async () => {
    let calls = 0;
    const events = sender(async () => {
      calls += 1;
      return calls < 3
        ? new Response('down', { status: 503 })
        : new Response('{}', { status: 200 });
    });

    events.emit('security.ip.unblocked', 'x', { 'client.address': '10.0.0.1' });
    await events.flush();

    expect(calls).toBe(3);
    expect(events.health).toMatchObject({
      sent: 1,
      failedExports: 2,
      dropped: 0,
      healthy: true,
      lastError: expect.stringContaining('observability answered 503: down'),
    });
  });

  it('drops a batch after its retries and reports itself unhealthy', async () => {
    const events = sender(async () => {
      throw new Error('connect ECONNREFUSED');
    }, 1);

    events.emit('security.ip.unblocked', 'x', { 'client.address': '10.0.0.1' });
    await events.flush();

    expect(events.health).toMatchObject({
      sent: 0,
      failedExports: 2,
      dropped: 1,
      healthy: false,
    });
  });
});
