import { useEffect, useState } from 'preact/hooks';
import { finishSignIn, startSignIn } from '../aws-sign-in.js';
import { Loading, Notice } from '../components/notice.js';
import { navigate } from '../router.js';

/** Where to go after signing in: a path of the console only. */
function nextPath(next: string | null | undefined): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/feed';
}

/**
 * Sign-in on AWS: a button to the hosted sign-in page (Cognito), and the return from it to `/login?code=…&state=…`,
 * which this page redeems before going on to the page the reader wanted.
 */
export function AwsLoginPage(props: { search: URLSearchParams; onSignedIn(): Promise<void> }) {
  const returning = props.search.has('code') || props.search.has('error');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(returning);

  useEffect(() => {
    if (!returning) return;
    void (async () => {
      try {
        const next = await finishSignIn(props.search);
        await props.onSignedIn();
        navigate(nextPath(next), { replace: true });
      } catch (caught) {
        setError(caught instanceof Error ? caught.message : String(caught));
        setBusy(false);
        history.replaceState(null, '', '/login');
      }
    })();
  }, []);

  if (busy && returning) return <Loading />;
  return (
    <section class="login">
      <h1>Sign in</h1>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <p class="hint">The console signs you in with your team's Foghorn account (user name, password and authenticator app).</p>
      <p>
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void startSignIn(nextPath(props.search.get('next')));
          }}
        >
          Sign in
        </button>
      </p>
    </section>
  );
}
