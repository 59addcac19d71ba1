import { limitOf } from '../core/api-query.js';
import { type ApiRequest, type ApiRoute, answer, jsonBody, required, text, who } from '../crisis/crisis-api-routes.js';
import { PostInputError } from './errors.js';
import { POST_STATUSES, type PostStatus } from './ports.js';
import type { ScheduledPosts } from './scheduled-posts.js';

/**
 * The scheduled-posts API, the same on both runtimes: `GET|POST /api/posts`, `GET|DELETE /api/posts/{id}`,
 * `POST /api/posts/{id}/release` and `POST /api/posts/release` (every suspended post). Changes name `who` in the body.
 */
export function postsApiRoutes(posts: ScheduledPosts): ApiRoute[] {
  const fieldsOf = (request: ApiRequest) => jsonBody(request.body);
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
      handle: async (request) =>
        answer(async () => {
          const fields = fieldsOf(request);
          const lang = text(fields, 'lang');
          const approval = fields.approval;
          if (approval !== undefined && typeof approval !== 'boolean')
            throw new PostInputError(`'approval' must be true or false, got ${JSON.stringify(approval)}`, { field: 'approval' });
          const post = await posts.schedule({
            channel: required(fields, 'channel', 'a channel name declared under channels: in foghorn.config.yaml'),
            at: required(fields, 'at', 'the minute to publish, an ISO time such as 2026-12-24T09:00:00+03:30'),
            text: text(fields, 'text') ?? '',
            ...(lang !== undefined ? { lang } : {}),
            ...(approval !== undefined ? { approval } : {}),
            who: who(request, fields, 'the person scheduling'),
          });
          return { post };
        }, 201),
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
