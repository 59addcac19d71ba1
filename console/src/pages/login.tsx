import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { Notice } from '../components/notice.js';
import { navigate } from '../router.js';

/** Where to go after signing in: a path of the console only. */
function nextPath(search: URLSearchParams): string {
  const next = search.get('next');
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/feed';
}

export function LoginPage(props: { search: URLSearchParams; onSignedIn(): Promise<void> }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const signIn = async (body: Record<string, string>) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/api/login', body);
      await props.onSignedIn();
      navigate(nextPath(props.search), { replace: true });
    } catch (caught) {
      const message = caught instanceof Error ? caught.message : String(caught);
      setError(caught instanceof ApiError && /wrong name or password/.test(message) ? 'The name or the password is not right.' : message);
      setBusy(false);
    }
  };

  return (
    <section class="login">
      <h1>Sign in</h1>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <p class="hint">With no users set up, use the one-time sign-in link Foghorn printed when it started.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void signIn({ name, password });
        }}
      >
        <label for="login-name">Name</label>
        <input
          id="login-name"
          name="name"
          dir="auto"
          autoComplete="username"
          value={name}
          onInput={(event) => setName((event.target as HTMLInputElement).value)}
          required
        />
        <label for="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onInput={(event) => setPassword((event.target as HTMLInputElement).value)}
          required
        />
        <p>
          <button type="submit" class="primary" disabled={busy}>
            Sign in
          </button>
        </p>
      </form>
    </section>
  );
}
