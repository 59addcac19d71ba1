import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { signGeneric } from '../functions/platforms/generic/verify.js';
import { signSlack } from '../functions/platforms/slack/verify.js';

/**
 * The generated storm: webhooks as API Gateway hands them to ingest, signed as each platform signs them, from
 * many authors. Each delivery is one of four kinds, drawn from a seeded generator so two runs send the same
 * storm: a message the crisis volume rule counts (`--spike-share`), a question the reply rule answers (10%),
 * a complaint the `after` rule starts a response timer for (5%), and ordinary chatter (the rest).
 * Payload shapes: Foghorn's generic webhook (functions/platforms/generic/), Slack's Events API `message.im`
 * (https://api.slack.com/events/message.im), Telegram's Update with a `message`
 * (https://core.telegram.org/bots/api#update).
 */

export const STORM_SECRETS = {
  FOGHORN_GENERIC_SECRET: 'capacity-generic-secret',
  FOGHORN_SLACK_SIGNING_SECRET: 'capacity-slack-signing-secret',
  FOGHORN_TELEGRAM_SECRET_TOKEN: 'capacity-telegram-secret-token',
} as const;

export const STORM_TEXTS = {
  spike: 'is the app down? checkout outage again',
  reply: 'what are your opening hours today?',
  complaint: 'I want a refund for my broken order',
  chatter: 'love the new autumn menu, see you soon',
} as const;

export type StormKind = keyof typeof STORM_TEXTS;

export const REPLY_SHARE = 0.1;
export const COMPLAINT_SHARE = 0.05;

/** Platforms by share of deliveries. */
const PLATFORMS = [
  { name: 'generic', share: 0.5 },
  { name: 'slack', share: 0.3 },
  { name: 'telegram', share: 0.2 },
] as const;

export interface StormOptions {
  spikeShare: number;
  authors: number;
  seed: number;
}

export interface StormDelivery {
  kind: StormKind;
  platform: string;
  event: APIGatewayProxyEventV2;
}

export class StormSpikeShareError extends Error {
  constructor(share: number) {
    super(`--spike-share must be between 0 and ${1 - REPLY_SHARE - COMPLAINT_SHARE} (the rest is replies and complaints), got ${share}`);
    this.name = 'StormSpikeShareError';
  }
}

/** Delivery number `n` of the storm, received at `at`. */
export function stormDelivery(n: number, at: Date, options: StormOptions): StormDelivery {
  if (!(options.spikeShare >= 0 && options.spikeShare <= 1 - REPLY_SHARE - COMPLAINT_SHARE))
    throw new StormSpikeShareError(options.spikeShare);
  const draw = unitInterval(n, options.seed);
  const kind: StormKind =
    draw < options.spikeShare
      ? 'spike'
      : draw < options.spikeShare + REPLY_SHARE
        ? 'reply'
        : draw < options.spikeShare + REPLY_SHARE + COMPLAINT_SHARE
          ? 'complaint'
          : 'chatter';
  const platformDraw = unitInterval(n, options.seed + 1);
  let cumulative = 0;
  const platform = PLATFORMS.find((each) => (cumulative += each.share) > platformDraw)?.name ?? 'generic';
  const author = Math.floor(unitInterval(n, options.seed + 2) * options.authors);
  const text = STORM_TEXTS[kind];
  const event =
    platform === 'slack'
      ? slack(n, author, text, at)
      : platform === 'telegram'
        ? telegram(n, author, text, at)
        : generic(n, author, text, at);
  return { kind, platform, event };
}

function generic(n: number, author: number, text: string, at: Date): APIGatewayProxyEventV2 {
  const body = JSON.stringify({
    id: `storm-${n}`,
    kind: 'message',
    text,
    author: { id: `author-${author}`, handle: `author${author}` },
    channel: { id: 'web' },
    createdAt: at.toISOString(),
  });
  return apiEvent(
    'generic',
    body,
    { 'content-type': 'application/json', 'x-foghorn-signature': signGeneric(STORM_SECRETS.FOGHORN_GENERIC_SECRET, body) },
    at,
  );
}

function slack(n: number, author: number, text: string, at: Date): APIGatewayProxyEventV2 {
  const seconds = Math.floor(at.getTime() / 1000);
  const ts = `${seconds}.${String(n % 1_000_000).padStart(6, '0')}`;
  const body = JSON.stringify({
    token: 'capacity',
    team_id: 'T0CAPACITY',
    api_app_id: 'A0CAPACITY',
    event: { type: 'message', channel: `D${author}`, user: `U${author}`, text, ts, event_ts: ts, channel_type: 'im' },
    type: 'event_callback',
    event_id: `Ev${n}`,
    event_time: seconds,
    authorizations: [{ enterprise_id: null, team_id: 'T0CAPACITY', user_id: 'U0FOGHORN', is_bot: true, is_enterprise_install: false }],
  });
  const timestamp = String(seconds);
  return apiEvent(
    'slack',
    body,
    {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlack(STORM_SECRETS.FOGHORN_SLACK_SIGNING_SECRET, timestamp, body),
    },
    at,
  );
}

function telegram(n: number, author: number, text: string, at: Date): APIGatewayProxyEventV2 {
  const body = JSON.stringify({
    update_id: n,
    message: {
      message_id: n,
      from: { id: 100_000 + author, is_bot: false, first_name: 'Storm', username: `storm${author}` },
      chat: { id: 100_000 + author, first_name: 'Storm', username: `storm${author}`, type: 'private' },
      date: Math.floor(at.getTime() / 1000),
      text,
    },
  });
  return apiEvent(
    'telegram',
    body,
    { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': STORM_SECRETS.FOGHORN_TELEGRAM_SECRET_TOKEN },
    at,
  );
}

function apiEvent(platform: string, body: string, headers: Record<string, string>, at: Date): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{platform}',
    rawPath: `/webhooks/${platform}`,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'capacity',
      domainName: 'capacity.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'capacity',
      http: { method: 'POST', path: `/webhooks/${platform}`, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'capacity-model' },
      requestId: `capacity-${at.getTime()}`,
      routeKey: 'POST /webhooks/{platform}',
      stage: '$default',
      time: at.toISOString(),
      timeEpoch: at.getTime(),
    },
    pathParameters: { platform },
    body,
    isBase64Encoded: false,
  };
}

/** A number in [0, 1) fixed by `n` and `seed` (a 32-bit integer hash, so any delivery is drawn without the ones before). */
function unitInterval(n: number, seed: number): number {
  let x = (Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seed + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return x / 4_294_967_296;
}
