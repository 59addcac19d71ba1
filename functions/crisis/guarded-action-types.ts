/** The action types that go out to the world and pass the outgoing guard and crisis mode (guarded-executor.ts). */
export const GUARDED_ACTION_TYPES: readonly string[] = ['reply', 'post'];
