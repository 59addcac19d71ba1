import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api, whenSignedOut } from './api.js';
import { signOut as awsSignOut, deployment } from './aws-sign-in.js';
import { Loading } from './components/notice.js';
import { AnalyticsPage } from './pages/analytics.js';
import { ApprovalsPage } from './pages/approvals.js';
import { AuditPage } from './pages/audit.js';
import { AwsLoginPage } from './pages/aws-login.js';
import { ConversationPage, lastConversation } from './pages/conversation.js';
import { CrisisPage } from './pages/crisis.js';
import { DeadLettersPage } from './pages/dead-letters.js';
import { FeedPage } from './pages/feed.js';
import { LoginPage } from './pages/login.js';
import { PostsPage } from './pages/posts.js';
import { RulesPage } from './pages/rules.js';
import { navigate, useLocation } from './router.js';
import { type Session, SessionContext } from './session.js';
import type { CrisisState, Me } from './types.js';

/** The pages, by path, with the nav link of the same name as each page's heading. */
const NAV: Array<{ name: string; path: string }> = [
  { name: 'Feed', path: '/feed' },
  { name: 'Conversation', path: '/conversation' },
  { name: 'Approvals', path: '/approvals' },
  { name: 'Crisis', path: '/crisis' },
  { name: 'Posts', path: '/posts' },
  { name: 'Rules', path: '/rules' },
  { name: 'Analytics', path: '/analytics' },
  { name: 'Audit', path: '/audit' },
  { name: 'Dead letters', path: '/dead-letters' },
];

/** `signed-out`: the runtime wants a sign-in; `open`: it has none (every change is allowed). */
type SignIn = { state: 'checking' } | { state: 'signed-in'; user: Me } | { state: 'signed-out' } | { state: 'open' };

export function App() {
  const { path, search } = useLocation();
  const [signIn, setSignIn] = useState<SignIn>({ state: 'checking' });
  const [crisis, setCrisis] = useState<CrisisState | undefined>(undefined);

  const checkSession = useCallback(async () => {
    try {
      setSignIn({ state: 'signed-in', user: await api.get<Me>('/api/me') });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setSignIn({ state: 'signed-out' });
      else setSignIn({ state: 'open' });
    }
  }, []);
  const readCrisis = useCallback(async () => {
    try {
      setCrisis((await api.get<{ crisis: CrisisState }>('/api/crisis')).crisis);
    } catch {
      setCrisis(undefined);
    }
  }, []);

  useEffect(() => {
    whenSignedOut(() => setSignIn({ state: 'signed-out' }));
    void checkSession();
  }, []);
  useEffect(() => {
    if (signIn.state === 'signed-out' && path !== '/login') {
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    }
    if (signIn.state === 'signed-in' || signIn.state === 'open') void readCrisis();
  }, [signIn.state, path]);

  const session: Session = {
    user: signIn.state === 'signed-in' ? signIn.user : undefined,
    signOut: async () => {
      if (deployment()) return awsSignOut();
      try {
        await api.post('/api/logout');
      } finally {
        setSignIn({ state: 'signed-out' });
      }
    },
  };
  const page = path === '/login' ? 'login' : signIn.state === 'checking' || signIn.state === 'signed-out' ? 'wait' : path;

  return (
    <SessionContext.Provider value={session}>
      <header class="top">
        <a class="brand" href="/feed">
          Foghorn
        </a>
        {page !== 'login' ? (
          <nav aria-label="Pages">
            <ul>
              {NAV.map((item) => {
                const href = item.path === '/conversation' ? conversationLink() : item.path;
                const current = path === item.path || path.startsWith(`${item.path}/`);
                return (
                  <li key={item.path}>
                    <a href={href} aria-current={current ? 'page' : undefined}>
                      {item.name}
                    </a>
                  </li>
                );
              })}
            </ul>
          </nav>
        ) : null}
        <div class="who">
          {crisis?.on && page !== 'login' ? (
            <a class="crisis-flag" href="/crisis">
              Crisis mode is on
            </a>
          ) : null}
          {session.user ? (
            <>
              <span dir="auto">{session.user.name}</span> <span class="muted">({session.user.role})</span>{' '}
              <button type="button" class="link" onClick={() => void session.signOut()}>
                Sign out
              </button>
            </>
          ) : null}
        </div>
      </header>
      <main>{render(page, path, search, checkSession, readCrisis)}</main>
    </SessionContext.Provider>
  );
}

function conversationLink(): string {
  const id = lastConversation();
  return id ? `/conversation/${encodeURIComponent(id)}` : '/conversation';
}

function render(page: string, path: string, search: URLSearchParams, onSignedIn: () => Promise<void>, onCrisis: () => Promise<void>) {
  if (page === 'wait') return <Loading />;
  if (page === 'login')
    return deployment() ? <AwsLoginPage search={search} onSignedIn={onSignedIn} /> : <LoginPage search={search} onSignedIn={onSignedIn} />;
  if (path === '/' || path === '/feed') return <FeedPage />;
  if (path === '/conversation' || path.startsWith('/conversation/')) {
    const id = path.slice('/conversation/'.length);
    return <ConversationPage key={id} id={id ? decodeURIComponent(id) : undefined} />;
  }
  if (path === '/approvals') return <ApprovalsPage />;
  if (path === '/crisis') return <CrisisPage onChanged={() => void onCrisis()} />;
  if (path === '/posts') return <PostsPage />;
  if (path === '/rules') return <RulesPage />;
  if (path === '/analytics') return <AnalyticsPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/dead-letters') return <DeadLettersPage />;
  return (
    <section>
      <h1>No such page</h1>
      <p>
        There is nothing at this address. Go to the <a href="/feed">Feed</a>.
      </p>
    </section>
  );
}
