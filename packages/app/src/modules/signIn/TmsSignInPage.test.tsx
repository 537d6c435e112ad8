import { render } from '@testing-library/react';
import { SignInPage } from '@backstage/core-components';
import { configApiRef, githubAuthApiRef } from '@backstage/core-plugin-api';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { TmsSignInPage } from './TmsSignInPage';

// Backstage's own sign-in page is tested upstream; these tests check which
// providers the TMS page hands it.
jest.mock('@backstage/core-components', () => ({
  SignInPage: jest.fn(() => null),
}));

function providersShownFor(config: object) {
  const onSignInSuccess = jest.fn();

  render(
    <TestApiProvider apis={[[configApiRef, mockApis.config({ data: config })]]}>
      <TmsSignInPage onSignInSuccess={onSignInSuccess} />
    </TestApiProvider>,
  );

  const [props] = jest.mocked(SignInPage).mock.calls.at(-1)!;
  expect(props).toEqual(expect.objectContaining({ onSignInSuccess }));
  return (props as { providers: unknown[] }).providers;
}

describe('TmsSignInPage', () => {
  it('offers guest sign-in when config names no provider', () => {
    expect(providersShownFor({})).toEqual(['guest']);
  });

  it('offers GitHub sign-in alone in production', () => {
    expect(
      providersShownFor({ app: { signIn: { providers: ['github'] } } }),
    ).toEqual([
      {
        id: 'github-auth-provider',
        title: 'GitHub',
        message: 'Sign in with your GitHub account',
        apiRef: githubAuthApiRef,
      },
    ]);
  });

  it('offers both, in the configured order', () => {
    const providers = providersShownFor({
      app: { signIn: { providers: ['github', 'guest'] } },
    });

    expect(providers).toEqual([
      expect.objectContaining({ id: 'github-auth-provider' }),
      'guest',
    ]);
  });

  it('names an unknown provider in its error', () => {
    // React reports the thrown error on the console as well.
    const consoleError = jest
      .spyOn(console, 'error')
      .mockImplementation(() => {});

    expect(() =>
      providersShownFor({ app: { signIn: { providers: ['gitlab'] } } }),
    ).toThrow("app.signIn.providers names unknown sign-in provider 'gitlab'");
    consoleError.mockRestore();
  });
});
