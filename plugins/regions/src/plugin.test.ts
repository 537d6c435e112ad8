import { regionsPlugin } from './plugin';

describe('regionsPlugin', () => {
  // The app's sidebar (packages/app/src/modules/nav) takes the page by id.
  it.each(['api:regions', 'page:regions'])('provides %s', id => {
    expect(regionsPlugin.getExtension(id as any)).toBeDefined();
  });
});
