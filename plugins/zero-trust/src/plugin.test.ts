import { zeroTrustPlugin } from './plugin';

describe('zeroTrustPlugin', () => {
  // The app's sidebar (packages/app/src/modules/nav) takes the page by id.
  it.each(['api:zero-trust', 'page:zero-trust'])('provides %s', id => {
    expect(zeroTrustPlugin.getExtension(id as any)).toBeDefined();
  });
});
