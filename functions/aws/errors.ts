import { FoghornError } from '../core/errors.js';

/**
 * Errors of the AWS adapters. Each is retryable (5xx) unless it says otherwise, so that ingest answers
 * 5xx and the platform redelivers, and an SQS consumer reports the message as failed.
 */

/** EventBridge refused some or all entries of a PutEvents request. */
export class EventPublishError extends FoghornError {
  constructor(message: string, detail: { failed: Array<{ eventId: string; errorCode?: string; errorMessage?: string }> }) {
    super(message, { status: 503, detail });
  }
}

/** SQS refused some or all entries of a SendMessageBatch request. */
export class CommandQueueError extends FoghornError {
  constructor(message: string, detail: { failed: Array<{ commandId: string; code?: string; message?: string; senderFault?: boolean }> }) {
    super(message, { status: 503, detail });
  }
}

/** One entry is above the service's per-entry ceiling: retrying cannot help, so this is a 413. */
export class EntryTooLargeError extends FoghornError {
  constructor(what: string, bytes: number, limitBytes: number) {
    super(`${what} is ${bytes} bytes; the limit is ${limitBytes}`, { status: 413, detail: { bytes, limitBytes } });
  }
}

/** The settings secret could not be read or is not a JSON object of strings. */
export class SettingsSecretError extends FoghornError {
  constructor(message: string, options: { cause?: unknown; detail?: unknown } = {}) {
    super(message, { status: 500, ...options });
  }
}
