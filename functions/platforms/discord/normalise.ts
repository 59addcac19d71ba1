import { z } from 'zod';
import type { Normalised } from '../../core/connector.js';
import { BadRequestError, NormaliseError } from '../../core/errors.js';
import { type CanonicalEvent, type EventKind, eventId } from '../../core/event.js';
import type { HttpResponse, InboundRequest } from '../../core/http.js';
import { isoFromEpochMs } from '../shared/epoch.js';
import { lenient, lenientArray, lenientBoolean, lenientNumber, lenientString } from '../shared/lenient.js';
import { DISCORD } from './settings.js';

/** Interaction types (https://discord.com/developers/docs/interactions/receiving-and-responding). */
export const InteractionType = { PING: 1, APPLICATION_COMMAND: 2, MESSAGE_COMPONENT: 3, AUTOCOMPLETE: 4, MODAL_SUBMIT: 5 } as const;
/** Interaction callback types Foghorn answers with. */
export const CallbackType = { PONG: 1, DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: 5, AUTOCOMPLETE_RESULT: 8 } as const;

interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: CommandOption[] | undefined;
}

const optionSchema: z.ZodType<CommandOption> = z.lazy(() =>
  z.looseObject({
    name: z.string(),
    type: z.number(),
    value: lenient(z.union([z.string(), z.number(), z.boolean()])),
    options: lenient(z.array(optionSchema)),
  }),
);

const userSchema = z.looseObject({ id: lenientString, username: lenientString, global_name: lenientString, bot: lenientBoolean });

/** An interaction (only the fields Foghorn reads). */
const interactionSchema = z.looseObject({
  id: lenientString,
  application_id: lenientString,
  type: lenientNumber,
  token: lenientString,
  guild_id: lenientString,
  channel_id: lenientString,
  channel: lenient(z.looseObject({ id: lenientString, name: lenientString, type: lenientNumber })),
  member: lenient(z.looseObject({ user: lenient(userSchema), nick: lenientString })),
  user: lenient(userSchema),
  locale: lenientString,
  message: lenient(z.looseObject({ id: lenientString, content: lenientString })),
  data: lenient(
    z.looseObject({
      id: lenientString,
      name: lenientString,
      type: lenientNumber,
      options: lenient(z.array(optionSchema)),
      target_id: lenientString,
      resolved: lenient(z.looseObject({ messages: lenient(z.record(z.string(), z.looseObject({ content: lenientString }))) })),
      custom_id: lenientString,
      values: lenient(z.array(z.string())),
      components: lenientArray(z.looseObject({ components: lenientArray(z.looseObject({ value: lenientString })) })),
    }),
  ),
});

export type DiscordInteraction = z.infer<typeof interactionSchema> & { id: string; type: number };

const DEFERRED: HttpResponse = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: { type: CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE },
};
/** Discord's epoch (2015-01-01) for snowflake ids. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

export function parseInteraction(request: InboundRequest): DiscordInteraction {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new BadRequestError('body is not valid JSON', { parseError: (error as Error).message });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new NormaliseError('an interaction is a JSON object');
  const interaction = interactionSchema.parse(body);
  if (interaction.type === undefined) throw new NormaliseError('interaction without a numeric `type`', { path: 'type' });
  if (interaction.id === undefined || !/^\d{1,20}$/.test(interaction.id))
    throw new NormaliseError('interaction without a snowflake `id`', { path: 'id' });
  return { ...interaction, id: interaction.id, type: interaction.type };
}

/**
 * Commands, component clicks and modal submits become one event each and are answered with a deferred
 * response (type 5), so Discord shows "thinking…" and the act step answers with a follow-up on the
 * interaction's webhook. The interaction token (valid 15 minutes) travels in `meta` for that follow-up.
 */
export function normaliseDiscord(request: InboundRequest, applicationIdSetting: string | undefined): Normalised {
  const interaction = parseInteraction(request);
  switch (interaction.type) {
    case InteractionType.PING:
      return { events: [], response: { status: 200, headers: { 'content-type': 'application/json' }, body: { type: CallbackType.PONG } } };
    case InteractionType.AUTOCOMPLETE:
      // Suggestions must come back within 3 seconds, which a rule cannot promise: offer none.
      return {
        events: [],
        response: {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { type: CallbackType.AUTOCOMPLETE_RESULT, data: { choices: [] } },
        },
      };
    case InteractionType.APPLICATION_COMMAND:
    case InteractionType.MESSAGE_COMPONENT:
    case InteractionType.MODAL_SUBMIT:
      return { events: [toEvent(interaction, request, applicationIdSetting)], response: DEFERRED };
    default:
      return { events: [] };
  }
}

function toEvent(interaction: DiscordInteraction, request: InboundRequest, applicationIdSetting: string | undefined): CanonicalEvent {
  const user = interaction.member?.user ?? interaction.user;
  if (!user?.id) throw new NormaliseError('interaction without `member.user` or `user`', { path: 'member.user' });
  const channelId = interaction.channel_id ?? interaction.channel?.id;
  if (!channelId) throw new NormaliseError('interaction without `channel_id`', { path: 'channel_id' });
  const selfId = applicationIdSetting ?? interaction.application_id;
  const replyToId = interaction.message?.id ?? interaction.data?.target_id;
  const name = interaction.member?.nick ?? user.global_name ?? user.username;

  return {
    id: eventId(DISCORD, interaction.id),
    platform: DISCORD,
    kind: kindOf(interaction),
    text: textOf(interaction),
    author: {
      id: user.id,
      ...(user.username ? { handle: user.username } : {}),
      ...(name ? { name } : {}),
      isSelf: user.id === selfId,
    },
    channel: {
      id: channelId,
      ...(interaction.channel?.name ? { name: interaction.channel.name } : {}),
      ...(interaction.guild_id ? {} : { direct: true }),
    },
    thread: replyToId ? { replyToId } : {},
    createdAt: snowflakeTime(interaction.id),
    receivedAt: request.receivedAt.toISOString(),
    sentByFoghorn: false,
    meta: {
      interactionType: interactionTypeName(interaction.type),
      ...(interaction.application_id ? { applicationId: interaction.application_id } : {}),
      ...(interaction.token ? { interactionToken: interaction.token } : {}),
      ...(interaction.guild_id ? { guildId: interaction.guild_id } : {}),
      ...(interaction.data?.name ? { command: interaction.data.name } : {}),
      ...(interaction.data?.options ? { options: optionValues(interaction.data.options) } : {}),
      ...(interaction.data?.custom_id ? { customId: interaction.data.custom_id } : {}),
      ...(interaction.locale ? { locale: interaction.locale } : {}),
    },
  };
}

/** A command addresses the app, so it is a mention (a dm outside a server); a component click is `other`. */
function kindOf(interaction: DiscordInteraction): EventKind {
  if (interaction.type === InteractionType.MESSAGE_COMPONENT) return 'other';
  return interaction.guild_id ? 'mention' : 'dm';
}

/** What the person "said": `/command sub value…`, the target message of a message command, a modal's inputs, a select's values. */
function textOf(interaction: DiscordInteraction): string {
  const data = interaction.data ?? {};
  if (interaction.type === InteractionType.APPLICATION_COMMAND) {
    const target = data.target_id ? data.resolved?.messages?.[data.target_id]?.content : undefined;
    if (target !== undefined) return target;
    return [`/${data.name ?? ''}`, ...flattenOptions(data.options ?? [])].join(' ');
  }
  if (interaction.type === InteractionType.MODAL_SUBMIT) {
    return (data.components ?? [])
      .flatMap((row) => row.components ?? [])
      .map((input) => input.value ?? '')
      .filter(Boolean)
      .join('\n');
  }
  return data.values?.join(' ') ?? data.custom_id ?? '';
}

/** Subcommands (types 1 and 2) contribute their name, other options their value. */
function flattenOptions(options: CommandOption[]): string[] {
  return options.flatMap((option) =>
    option.type === 1 || option.type === 2 ? [option.name, ...flattenOptions(option.options ?? [])] : [String(option.value ?? '')],
  );
}

function optionValues(options: CommandOption[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of options) values[option.name] = option.options ? optionValues(option.options) : option.value;
  return values;
}

function interactionTypeName(type: number): string {
  return type === InteractionType.APPLICATION_COMMAND
    ? 'application_command'
    : type === InteractionType.MESSAGE_COMPONENT
      ? 'message_component'
      : 'modal_submit';
}

/** A snowflake's top 42 bits are milliseconds since the Discord epoch. */
export function snowflakeTime(id: string): string {
  return isoFromEpochMs(Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS), 'id');
}
