import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { Loading, Notice } from '../components/notice.js';
import { useApi } from '../components/use-api.js';
import { exactly, platformName, when } from '../format.js';
import { allowed, useSession, whoIs } from '../session.js';
import type { ScheduledPost } from '../types.js';

const STATUS: Record<ScheduledPost['status'], string> = {
  scheduled: 'Scheduled',
  suspended: 'Suspended by crisis mode',
  publishing: 'Going out',
  published: 'Published',
  cancelled: 'Cancelled',
};

/** Scheduled posts: what waits for its minute, what a crisis suspended (released by a lead), what went out. */
export function PostsPage() {
  const session = useSession();
  const { data, error, loading, reload } = useApi<{ posts: ScheduledPost[] }>('/api/posts?status=all&limit=500', 15_000);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>(undefined);
  const act = async (post: ScheduledPost, change: 'release' | 'cancel') => {
    setBusy(post.id);
    try {
      if (change === 'release') await api.post(`/api/posts/${encodeURIComponent(post.id)}/release`, { who: whoIs(session) });
      else await api.delete(`/api/posts/${encodeURIComponent(post.id)}`, { who: whoIs(session) });
      setMessage({
        kind: 'ok',
        text: change === 'release' ? 'Released: it goes out at its minute, or on the next sweep.' : 'Cancelled: it will not go out.',
      });
      await reload();
    } catch (caught) {
      setMessage({ kind: 'error', text: caught instanceof ApiError ? caught.message : String(caught) });
    } finally {
      setBusy(undefined);
    }
  };
  const posts = data?.posts ?? [];
  return (
    <section>
      <h1>Posts</h1>
      <p class="lede">
        Scheduled posts go out at their minute. Crisis mode suspends every one of them; after the crisis, nothing goes out until someone
        releases it.
      </p>
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      {error ? <Notice kind="error">The posts could not be loaded: {error.message}</Notice> : null}
      {loading && !data ? <Loading /> : null}
      {data && posts.length === 0 ? <p class="empty">No scheduled posts.</p> : null}
      {posts.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Minute</th>
              <th scope="col">Channel</th>
              <th scope="col">Text</th>
              <th scope="col">Status</th>
              <th scope="col">Decide</th>
            </tr>
          </thead>
          <tbody>
            {posts.map((post) => (
              <tr key={post.id} data-post={post.id} data-status={post.status}>
                <td>
                  <time dateTime={post.at} title={exactly(post.at)}>
                    {when(post.at)}
                  </time>
                </td>
                <td>
                  {post.channel} <span class="muted">({platformName(post.platform)})</span>
                </td>
                <td dir="auto" lang={post.lang}>
                  {post.text}
                </td>
                <td>
                  {STATUS[post.status]}
                  {post.overdue ? <strong> · overdue</strong> : null}
                  {post.approval ? <span class="muted"> · asks for approval</span> : null}
                  {post.status === 'suspended' && post.suspended?.why ? (
                    <div class="muted" dir="auto">
                      {post.suspended.why}
                    </div>
                  ) : null}
                </td>
                <td>
                  {post.status === 'suspended' && allowed(session, 'lead') ? (
                    <button type="button" class="primary" disabled={busy !== undefined} onClick={() => void act(post, 'release')}>
                      Release
                    </button>
                  ) : null}{' '}
                  {(post.status === 'scheduled' || post.status === 'suspended') && allowed(session, 'agent') ? (
                    <button type="button" disabled={busy !== undefined} onClick={() => void act(post, 'cancel')}>
                      Cancel
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
