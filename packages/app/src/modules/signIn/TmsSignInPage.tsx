import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { InputError } from '@backstage/errors';
import { SignInPageProps } from '@backstage/plugin-app-react';

const GITHUB_PROVIDER: SignInProviderConfig = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

/**
 * Offers the sign-in methods that `app.signIn.providers` names: guest on the
 * embedded default, GitHub in production.
 */
export function TmsSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const names = configApi.getOptionalStringArray('app.signIn.providers') ?? [
    'guest',
  ];

  const providers = names.map(name => {
    if (name === 'github') {
      return GITHUB_PROVIDER;
    }
    if (name === 'guest') {
      return 'guest' as const;
    }
    // The config schema allows only the two; this guards unchecked config.
    throw new InputError(
      `app.signIn.providers names unknown sign-in provider '${name}'`,
    );
  });

  return <SignInPage {...props} providers={providers} />;
}
