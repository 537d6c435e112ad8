import { render, screen } from '@testing-library/react';
import App from './App';

const originalEnv = process.env;

afterEach(() => {
  process.env = originalEnv;
});

function renderApp(signInProviders: string[]) {
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: {
          app: {
            title: 'TMS Portal',
            signIn: { providers: signInProviders },
          },
          backend: { baseUrl: 'http://localhost:7007' },
        },
        context: 'test',
      },
    ] as any,
  };

  return render(App.createRoot());
}

describe('App', () => {
  // The app reads its config once per module load, so the other sign-in
  // settings are covered by TmsSignInPage's own tests.
  it('starts on the sign-in page with guest sign-in', async () => {
    renderApp(['guest']);

    expect(
      await screen.findByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('GitHub')).not.toBeInTheDocument();
  });
});
