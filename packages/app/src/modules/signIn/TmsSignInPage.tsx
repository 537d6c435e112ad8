import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
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

  const providers = names.map(name =>
    name === 'github' ? GITHUB_PROVIDER : ('guest' as const),
  );

  return <SignInPage {...props} providers={providers} />;
}
