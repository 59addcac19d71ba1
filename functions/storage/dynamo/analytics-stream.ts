import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { DecisionWithSubject } from '../../analytics/ports.js';
import type { AssignedOwner, ReplyAnswer } from '../../analytics/recorder.js';
import type { AnalyticsChange } from '../../analytics/stream-folding.js';
import { fromItem } from './item.js';

/**
 * The analytics changes in a batch of the table's stream (NEW_AND_OLD_IMAGES), in stream order:
 * - a decision put (`DECISION#<event id>` INSERT): its event's subject and the rules it listed;
 * - an action completed as succeeded (`ACTION#<id>` MODIFY from another status) that carries a reply's answer
 *   (written by its claim: action-store.ts `answerOf`), at its completion time;
 * - a conversation's owner put or changed (`OWNER#<conversation>` INSERT or MODIFY, assignment-store.ts) to another
 *   person, team or time (closing an assignment changes none of them, and is skipped).
 * Anything else (the event source's filters let only these through, but a record is never trusted) is skipped.
 * The item's key is the change's source, the record's sequence number its position.
 */
export function analyticsChangesOf(records: readonly DynamoDBRecord[]): AnalyticsChange[] {
  const changes: AnalyticsChange[] = [];
  for (const record of records) {
    const position = record.dynamodb?.SequenceNumber;
    if (!position) continue;
    const image = fromItem<Record<string, unknown>>(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
    const pk = typeof image?.pk === 'string' ? image.pk : '';
    if (record.eventName === 'INSERT' && pk.startsWith(DECISION_PREFIX)) {
      const decision = image?.decision as DecisionWithSubject | undefined;
      const subject = decision?.analyticsSubject ?? decision?.commands?.[0]?.event;
      if (!decision || !subject) continue;
      changes.push({ position, source: pk, decided: { subject, rules: decision.rules ?? [] } });
      continue;
    }
    if (record.eventName === 'MODIFY' && pk.startsWith(ACTION_PREFIX)) {
      const old = fromItem<{ status?: string }>(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
      const answer = image?.answer as ReplyAnswer | undefined;
      const at = typeof image?.updatedAt === 'string' ? Date.parse(image.updatedAt) : Number.NaN;
      if (image?.status !== 'succeeded' || old?.status === 'succeeded' || !isAnswer(answer) || Number.isNaN(at)) continue;
      changes.push({ position, source: pk, answered: { answer, at: new Date(at) } });
      continue;
    }
    if ((record.eventName === 'INSERT' || record.eventName === 'MODIFY') && pk.startsWith(OWNER_PREFIX)) {
      const owner = ownerIn(image);
      if (!owner) continue;
      const before = ownerIn(fromItem<Record<string, unknown>>(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined));
      if (before && before.person === owner.person && before.team === owner.team && before.since === owner.since) continue;
      changes.push({ position, source: pk, owned: owner });
    }
  }
  return changes;
}

/** The stream a record came from, per shard: its positions are ordered within the shard only. */
export function streamShardOf(record: DynamoDBRecord): string {
  return record.eventSourceARN?.split('/stream/')[1] ?? record.eventSourceARN ?? 'stream';
}

const DECISION_PREFIX = 'DECISION#';
const ACTION_PREFIX = 'ACTION#';
const OWNER_PREFIX = 'OWNER#';

/** The owner an `OWNER#` image holds, when it is one. */
function ownerIn(image: Record<string, unknown> | undefined): AssignedOwner | undefined {
  if (typeof image?.conversation !== 'string' || typeof image.since !== 'string') return undefined;
  return {
    conversation: image.conversation,
    ...(typeof image.person === 'string' ? { person: image.person } : {}),
    ...(typeof image.team === 'string' ? { team: image.team } : {}),
    since: image.since,
  };
}

function isAnswer(value: ReplyAnswer | undefined): value is ReplyAnswer {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value.by === 'automated' || value.by === 'human') &&
    typeof value.platform === 'string' &&
    typeof value.channel === 'string' &&
    typeof value.lang === 'string' &&
    Array.isArray(value.conversations)
  );
}
