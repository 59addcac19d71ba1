import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { OutboundRequest, OutboundResponse } from '../../functions/core/http.js';
import { type LoopbackAnswer, type ReceivedRequest, startLoopback } from './loopback.js';

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

export interface FakePlatformApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Changes how the server answers from now on (the default answers 200 `{}`). */
  answer(handler: (request: ReceivedRequest) => FakeAnswer): void;
  close(): Promise<void>;
}

/** The loopback server (support/loopback.ts) with an answer a test can change between calls. */
export async function startFakePlatformApi(): Promise<FakePlatformApi> {
  let handler: (request: ReceivedRequest) => FakeAnswer = () => ({ status: 200, body: {} });
  const loopback = await startLoopback((request): LoopbackAnswer => {
    const answer = handler(request);
    const text = typeof answer.body === 'string';
    return {
      status: answer.status,
      headers: { 'content-type': text ? 'text/plain' : 'application/json', ...answer.headers },
      body: text ? (answer.body as string) : JSON.stringify(answer.body ?? {}),
    };
  });
  return {
    url: loopback.url,
    received: loopback.received,
    answer: (next) => {
      handler = next;
    },
    close: loopback.close,
  };
}

/**
 * The fake API of the current describe block: started before its tests, closed after them, with what it received
 * emptied before each test. Call at the top of the block; use it inside tests.
 */
export function useFakePlatformApi(): FakePlatformApi {
  let api: FakePlatformApi | undefined;
  beforeAll(async () => {
    api = await startFakePlatformApi();
  });
  afterAll(async () => {
    await api?.close();
  });
  beforeEach(() => {
    if (api) api.received.length = 0;
  });
  const started = (): FakePlatformApi => {
    if (!api) throw new Error('useFakePlatformApi: the fake API is not started yet (use it inside a test)');
    return api;
  };
  return {
    get url() {
      return started().url;
    },
    get received() {
      return started().received;
    },
    answer: (handler) => started().answer(handler),
    close: () => started().close(),
  };
}

/** Sends an OutboundRequest for real, as live mode does, and returns the platform's answer. */
export async function sendOutbound(request: OutboundRequest): Promise<OutboundResponse> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}
