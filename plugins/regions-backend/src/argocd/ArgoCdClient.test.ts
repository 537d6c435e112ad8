import { referenceApplicationFile } from '../__testUtils__/argocdCrd';
import { readCorpusYaml } from '../__testUtils__/corpus';
import { ArgoApplication, ArgoCdClient } from './ArgoCdClient';

/** Answers every request with `body` as JSON, recording the URLs asked. */
function answering(body: unknown, status = 200) {
  const urls: string[] = [];
  const fetch = (async (input: URL | string) => {
    urls.push(String(input));
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  return { fetch, urls };
}

describe('ArgoCdClient', () => {
  it('lists a freshly created Application, which has no status yet', async () => {
    // The corpus's reference Application (argoproj/argo-cd
    // docs/operator-manual/application.yaml), as the list answer carries it.
    const application = readCorpusYaml<ArgoApplication>(
      referenceApplicationFile,
    );
    const { fetch, urls } = answering({
      metadata: { resourceVersion: '1' },
      items: [application],
    });
    const client = new ArgoCdClient({
      baseUrl: 'https://argocd.us-east-1.example.com',
      fetch,
    });

    const apps = await client.listApplications('tms.example.com/region=x');

    expect(urls).toEqual([
      'https://argocd.us-east-1.example.com/api/v1/applications?selector=tms.example.com%2Fregion%3Dx',
    ]);
    expect(apps).toHaveLength(1);
    expect(apps[0].metadata.name).toBe('guestbook');
    expect(apps[0].status).toBeUndefined();
    expect(apps[0].spec.source?.targetRevision).toBe('HEAD');
  });

  it('reads `"items": null`, the answer when nothing matches, as no Applications', async () => {
    const { fetch } = answering({ metadata: {}, items: null });
    const client = new ArgoCdClient({ baseUrl: 'https://argocd', fetch });
    await expect(client.listApplications()).resolves.toEqual([]);
  });
});
