import { randomUUID } from 'node:crypto';
import { type Command, UsageError } from '../io.js';
import { type ApiCredential, apiCredentialFor, callRuntime, RuntimeApiError, runtimeUrl } from './runtime-api.js';

/** Tries of one schedule when Foghorn cannot be reached or fails (5xx); the idempotency key makes a retry safe. */
const SCHEDULE_TRIES = 3;

const USAGE = [
  'foghorn posts schedule --channel NAME --at ISO-TIME --text TEXT [--lang TAG] [--approval]',
  '  | list [--status scheduled|suspended|publishing|published|cancelled|all]',
  '  | cancel ID [--why TEXT] | release ID [--at ISO-TIME] | release --all-suspended [--at ISO-TIME]',
  '  [--who NAME] [--json] [--url URL]',
].join('\n');

interface Post {
  id: string;
  channel: string;
  platform: string;
  text: string;
  at: string;
  status: string;
  overdue: boolean;
  approval: boolean;
  suspended?: { why?: string };
}

function line(post: Post): string {
  const status = post.overdue ? `${post.status} (overdue)` : post.status;
  const text = post.text.length > 60 ? `${post.text.slice(0, 60)}…` : post.text;
  const held = post.status === 'suspended' && post.suspended?.why ? `  ${post.suspended.why}` : '';
  return `${post.id}  ${status}  ${post.at}  ${post.channel} (${post.platform})${post.approval ? '  approval' : ''}  "${text}"${held}`;
}

/** Scheduled posts of the running Foghorn: schedule, list, cancel, and release what a crisis suspended. */
export const postsCommand: Command = {
  summary: 'schedule posts; list, cancel and release them',
  usage: USAGE,
  async run(input, io) {
    const values = {
      channel: input.string('channel'),
      at: input.string('at'),
      text: input.string('text'),
      lang: input.string('lang'),
      approval: input.flag('approval'),
      status: input.string('status'),
      limit: input.string('limit'),
      why: input.string('why'),
      who: input.string('who'),
      allSuspended: input.flag('allSuspended'),
      json: input.flag('json'),
      url: input.string('url'),
    };
    const positionals = input.positionals;
    const [verb = 'list', id, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    const base = runtimeUrl(values.url, io);
    const credential = apiCredentialFor(base, io);
    // Locally the runtime names the caller itself (a session's user, or `token`); on AWS the body must.
    const who = values.who ?? io.env.FOGHORN_WHO;
    const withWho = (body: Record<string, unknown>) => (who ? { who, ...body } : body);
    const show = (posts: Post[]) => {
      for (const post of posts) io.out(values.json ? JSON.stringify(post) : line(post));
    };
    switch (verb) {
      case 'list': {
        const query = new URLSearchParams({ status: values.status ?? 'all', limit: values.limit ?? '100' });
        const { posts } = await callRuntime<{ posts: Post[] }>(base, 'GET', `/api/posts?${query}`, undefined, credential);
        if (posts.length === 0 && !values.json) io.out(`no ${values.status && values.status !== 'all' ? `${values.status} ` : ''}posts`);
        show(posts);
        return 0;
      }
      case 'schedule': {
        if (id) throw new UsageError(`posts schedule takes no id (got '${id}')`);
        for (const needed of ['channel', 'at', 'text'] as const)
          if (!values[needed]) throw new UsageError(`posts schedule needs --${needed}`);
        const body = withWho({
          channel: values.channel,
          at: values.at,
          text: values.text,
          ...(values.lang ? { lang: values.lang } : {}),
          ...(values.approval ? { approval: true } : {}),
        });
        const { post } = await scheduleOnce(base, body, credential);
        show([post]);
        return 0;
      }
      case 'cancel': {
        if (!id) throw new UsageError('posts cancel needs the post id (see: foghorn posts list)');
        const body = withWho(values.why ? { why: values.why } : {});
        const { post } = await callRuntime<{ post: Post }>(base, 'DELETE', `/api/posts/${encodeURIComponent(id)}`, body, credential);
        show([post]);
        return 0;
      }
      case 'release': {
        const body = withWho(values.at ? { at: values.at } : {});
        if (values.allSuspended) {
          if (id) throw new UsageError('posts release takes an id or --all-suspended, not both');
          const { released } = await callRuntime<{ released: Post[] }>(base, 'POST', '/api/posts/release', body, credential);
          if (released.length === 0 && !values.json) io.out('no suspended posts');
          show(released);
          return 0;
        }
        if (!id) throw new UsageError('posts release needs the post id, or --all-suspended');
        const { post, changed } = await callRuntime<{ post: Post; changed: boolean }>(
          base,
          'POST',
          `/api/posts/${encodeURIComponent(id)}/release`,
          body,
          credential,
        );
        if (!changed && !values.json) io.out(`${post.id} was not suspended; nothing changed`);
        show([post]);
        return 0;
      }
      default:
        throw new UsageError(`unknown posts command '${verb}' (schedule, list, cancel, release)`);
    }
  },
};

/**
 * One schedule, sent up to SCHEDULE_TRIES times under one Idempotency-Key: a try whose answer was lost (a timeout)
 * may have stored the post, and the next try then answers that same post instead of making a second.
 */
async function scheduleOnce(base: string, body: Record<string, unknown>, credential: ApiCredential | undefined): Promise<{ post: Post }> {
  const headers = { 'idempotency-key': randomUUID() };
  for (let attempt = 1; ; attempt++) {
    try {
      return await callRuntime<{ post: Post }>(base, 'POST', '/api/posts', body, credential, headers);
    } catch (error) {
      const retriable = error instanceof RuntimeApiError && (error.status === undefined || error.status >= 500);
      if (!retriable || attempt >= SCHEDULE_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}
