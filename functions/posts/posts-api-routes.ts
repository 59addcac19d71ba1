import { limitOf } from '../core/api-query.js';
import { FoghornError } from '../core/errors.js';
import { type ApiRequest, type ApiRoute, answer, jsonBody, required, text, who } from '../crisis/crisis-api-routes.js';
import { PostInputError } from './errors.js';
import { POST_STATUSES, type PostStatus } from './ports.js';
import type { ScheduledPosts } from './scheduled-posts.js';

/**
 * The scheduled-posts API, the same on both runtimes: `GET|POST /api/posts`, `GET|DELETE /api/posts/{id}`,
 * `POST /api/posts/{id}/release` and `POST /api/posts/release` (every suspended post). Changes name `who` in the body.
 */
export function postsApiRoutes(given: ScheduledPosts | undefined): ApiRoute[] {
  const fieldsOf = (request: ApiRequest) => jsonBody(request.body);
  // Without a post store (an adapter set that has none) every route answers 404, naming why.
  const posts = given ?? unserved();
  return [
    {
      method: 'GET',
      path: '/api/posts',
      handle: async ({ query }) =>
        answer(async () => {
          const status = query.get('status') ?? 'all';
          if (status !== 'all' && !POST_STATUSES.includes(status as PostStatus))
            throw new PostInputError(`status must be one of ${[...POST_STATUSES, 'all'].join(', ')}, got '${status}'`, {
              parameter: 'status',
            });
          return { posts: await posts.list(status === 'all' ? undefined : (status as PostStatus), limitOf(query)) };
        }),
    },
    {
      method: 'POST',
      path: '/api/posts',
      handle: async (request) => {
        // A retry with the idempotency key of a post already stored answers 200 with it: nothing new was made.
        let made = true;
        const answered = await answer(async () => {
          const fields = fieldsOf(request);
          const lang = text(fields, 'lang');
          const approval = fields.approval;
          if (approval !== undefined && typeof approval !== 'boolean')
            throw new PostInputError(`'approval' must be true or false, got ${JSON.stringify(approval)}`, { field: 'approval' });
          const idempotencyKey = idempotencyKeyOf(request, fields);
          const { post, created } = await posts.scheduleOnce({
            channel: required(fields, 'channel', 'a channel name declared under channels: in foghorn.config.yaml'),
            at: required(fields, 'at', 'the minute to publish, an ISO time such as 2026-12-24T09:00:00+03:30'),
            text: text(fields, 'text') ?? '',
            ...(lang !== undefined ? { lang } : {}),
            ...(approval !== undefined ? { approval } : {}),
            who: who(request, fields, 'the person scheduling'),
            ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
          });
          made = created;
          return { post };
        }, 201);
        return answered.status === 201 && !made ? { ...answered, status: 200 } : answered;
      },
    },
    {
      method: 'GET',
      path: '/api/posts/{id}',
      handle: async ({ params }) => answer(async () => ({ post: await posts.get(params.id ?? '') })),
    },
    {
      method: 'DELETE',
      path: '/api/posts/{id}',
      handle: async (request) =>
        answer(async () => {
          const fields = fieldsOf(request);
          return posts.cancel(request.params.id ?? '', who(request, fields, 'the person cancelling'), text(fields, 'why'));
        }),
    },
    {
      method: 'POST',
      path: '/api/posts/{id}/release',
      handle: async (request) =>
        answer(async () => {
          const fields = fieldsOf(request);
          return posts.release(request.params.id ?? '', who(request, fields, 'the person releasing'), text(fields, 'at'));
        }),
    },
    {
      method: 'POST',
      path: '/api/posts/release',
      handle: async (request) =>
        answer(async () => {
          const fields = fieldsOf(request);
          return { released: await posts.releaseAll(who(request, fields, 'the person releasing'), text(fields, 'at')) };
        }),
    },
  ];
}

/** The `Idempotency-Key` header or the body's `idempotencyKey`; both may be sent when they agree. */
function idempotencyKeyOf(request: ApiRequest, fields: Record<string, unknown>): string | undefined {
  const header = request.headers?.['idempotency-key'];
  if (Array.isArray(header)) throw new PostInputError('send one Idempotency-Key header, not several', { header: 'Idempotency-Key' });
  const body = fields.idempotencyKey;
  if (body !== undefined && typeof body !== 'string')
    throw new PostInputError(`'idempotencyKey' must be a string, got ${JSON.stringify(body)}`, { field: 'idempotencyKey' });
  if (header !== undefined && body !== undefined && header !== body)
    throw new PostInputError(`the Idempotency-Key header ('${header}') and the body's idempotencyKey ('${body}') differ; send one key`, {
      field: 'idempotencyKey',
    });
  return header ?? body;
}

class PostsNotServedError extends FoghornError {
  constructor() {
    super('this runtime keeps no scheduled posts: its adapters have no post store', { status: 404, detail: null });
  }
}

function unserved(): ScheduledPosts {
  const refuse = async (): Promise<never> => {
    throw new PostsNotServedError();
  };
  return { schedule: refuse, get: refuse, list: refuse, cancel: refuse, release: refuse, releaseAll: refuse } as unknown as ScheduledPosts;
}
