import { FoghornError } from '../core/errors.js';
import type { ScheduledPost } from './ports.js';

/** A schedule, release or cancel whose input is wrong: the message names the field and what it must be. */
export class PostInputError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 400, detail: detail ?? null });
  }
}

export class PostNotFoundError extends FoghornError {
  constructor(id: string) {
    super(`no scheduled post '${id}'`, { status: 404, detail: null });
  }
}

/** The post is where this change cannot go (a published post cancelled, a cancelled one released, a release during a crisis). */
export class PostStateError extends FoghornError {
  constructor(post: ScheduledPost, wanted: string, why?: string) {
    super(`scheduled post '${post.id}' is ${post.status}; it cannot be ${wanted}${why ? `: ${why}` : ''}`, {
      status: 409,
      detail: { status: post.status },
    });
  }
}

/** Someone else changed the post while this change was being made; reading it again and retrying is safe. */
export class PostConflictError extends FoghornError {
  constructor(id: string) {
    super(`scheduled post '${id}' changed while this change was being made; read it again and retry`, { status: 409, detail: null });
  }
}

/** Suspended posts are released after a crisis, not during one. */
export class PostsHeldByCrisisError extends FoghornError {
  constructor(crisis: string) {
    super(`${crisis}; release suspended posts once crisis mode is off`, { status: 409, detail: { status: 'crisis' } });
  }
}

/** An idempotency key sent again with a different request: it names the post the key already made. */
export class PostIdempotencyKeyReusedError extends FoghornError {
  constructor(key: string, postId: string) {
    super(
      `idempotency key '${key}' was already used to schedule post '${postId}' with a different request; send a new key for a new post`,
      { status: 409, detail: { field: 'idempotencyKey', post: postId } },
    );
  }
}
