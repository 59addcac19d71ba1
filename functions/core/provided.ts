/** Dependencies given as they are (tests, the local runtime) or built on first use (Lambda cold start). */
export type Provided<T> = T | (() => T | Promise<T>);

export async function resolveProvided<T extends object>(provided: Provided<T>): Promise<T> {
  return typeof provided === 'function' ? await (provided as () => T | Promise<T>)() : provided;
}

/** Builds the value once, on first call; a failed build is retried on the next call. */
export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= build().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
