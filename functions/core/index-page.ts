/** One page of a newest-first listing (events, actions), as every store answers it. */
export interface IndexPage<T> {
  items: T[];
  /** Continue from here; absent when the listing has nothing more in range. */
  next?: string;
}

/** A cursor that is not one this listing gave, or that is sent with other filters. */
export class BadCursorError extends Error {
  constructor(readonly reason: string) {
    super(`cursor is not valid here: ${reason}`);
    this.name = 'BadCursorError';
  }
}
