import { observabilityPlugin } from './plugin';

describe('observabilityPlugin', () => {
  // The app's sidebar (packages/app/src/modules/nav) takes the pages by
  // these ids.
  it.each([
    'api:observability',
    'page:observability/mesh',
    'page:observability/traces',
    'page:observability/alerts',
    'page:observability/slos',
    'entity-content:observability',
  ])('provides %s', id => {
    expect(observabilityPlugin.getExtension(id as any)).toBeDefined();
  });
});
