import type { ApiError } from '../api.js';

/** Whether the API said this deployment serves no such route yet (AWS serves fewer reads than the local runtime). */
export function isUnavailable(error: ApiError | undefined): boolean {
  return error?.unavailable === true;
}

/** The plain line a page shows where its data is not served on this deployment yet. */
export function NotAvailable(props: { what: string }) {
  return <p class="muted not-available">{props.what} not available on this deployment yet.</p>;
}
