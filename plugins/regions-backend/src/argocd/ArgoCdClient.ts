import { ResponseError } from '@backstage/errors';

type Fetch = typeof fetch;

/** The parts of an Argo CD Application (argoproj.io/v1alpha1) we read. */
export interface ArgoApplication {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    source?: { repoURL?: string; targetRevision?: string; path?: string };
    destination?: { name?: string; server?: string; namespace?: string };
  };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    history?: Array<{
      id: number;
      revision?: string;
      deployedAt?: string;
      deployStartedAt?: string;
    }>;
    operationState?: { phase?: string; finishedAt?: string; message?: string };
    reconciledAt?: string;
    summary?: { images?: string[] };
  };
}

/**
 * A small client of Argo CD's REST API (`/api/v1/applications`), one per
 * instance, with that instance's bearer token.
 */
export class ArgoCdClient {
  constructor(
    private readonly options: {
      baseUrl: string;
      token?: string;
      fetch?: Fetch;
      timeoutMs?: number;
    },
  ) {}

  /** Applications matching a label selector ("key=value,..."). */
  async listApplications(selector?: string): Promise<ArgoApplication[]> {
    const url = new URL('/api/v1/applications', this.options.baseUrl);
    if (selector) url.searchParams.set('selector', selector);
    const doFetch = this.options.fetch ?? fetch;
    const response = await doFetch(url, {
      headers: this.options.token
        ? { authorization: `Bearer ${this.options.token}` }
        : {},
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response as any);
    }
    const body = (await response.json()) as {
      items?: ArgoApplication[] | null;
    };
    // Argo CD answers `"items": null` when nothing matches.
    return body.items ?? [];
  }
}
