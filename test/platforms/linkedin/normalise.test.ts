import { describe, expect, it } from 'vitest';
import { BadRequestError, NormaliseError } from '../../../functions/core/errors.js';
import { canonicalEventSchema } from '../../../functions/core/event.js';
import { linkedInConnector } from '../../../functions/platforms/linkedin/index.js';
import { context, delivery, fixture, fixtureJson } from './support.js';

const normalise = (body: Buffer) => linkedInConnector.normalise(delivery(body), context()).events;

describe('linkedin normalise', () => {
  it('makes a COMMENT on the Page’s post a comment event keyed by its notificationId, with its reply target', () => {
    const [event] = normalise(fixture('comment.json'));
    expect(canonicalEventSchema.parse(event)).toEqual({
      id: 'linkedin:1205373016',
      platform: 'linkedin',
      kind: 'comment',
      text: 'Where is my card order 4411? It has been two weeks.',
      author: { id: 'urn:li:person:UbBGYL5nzF', isSelf: false },
      channel: { id: 'urn:li:organization:2414183' },
      thread: {
        id: 'urn:li:share:7130264455555555555',
        replyToId: 'urn:li:comment:(urn:li:activity:7130264455690000000,7130268811120000000)',
      },
      createdAt: '2023-11-14T22:20:00.000Z',
      receivedAt: '2023-11-14T22:20:01.000Z',
      url: 'https://www.linkedin.com/feed/update/urn:li:share:7130264455555555555/?commentUrn=urn%3Ali%3Acomment%3A(urn%3Ali%3Aactivity%3A7130264455690000000%2C7130268811120000000)',
      sentByFoghorn: false,
      meta: {
        action: 'COMMENT',
        notificationId: '1205373016',
        postUrn: 'urn:li:share:7130264455555555555',
        commentUrn: 'urn:li:comment:(urn:li:activity:7130264455690000000,7130268811120000000)',
        commentsOn: 'urn:li:comment:(urn:li:activity:7130264455690000000,7130268811120000000)',
        object: 'urn:li:activity:7130264455690000000',
        parentComment: 'urn:li:comment:(urn:li:activity:7130264455690000000,7130268811120000000)',
      },
    });
  });

  it('in a batch: the Page’s own comment is isSelf, a mention is a mention answered on its post, likes and deletions are no events', () => {
    const events = normalise(fixture('batch.json'));
    expect(events.map((event) => [event.id, event.kind, event.author.id, event.author.isSelf])).toEqual([
      ['linkedin:1205373101', 'comment', 'urn:li:organization:2414183', true],
      ['linkedin:1205373103', 'mention', 'urn:li:person:Zx8yW7vU6t', false],
    ]);
    expect(events[1]).toMatchObject({
      text: 'Has anyone else had trouble with the Acme Bank app login today?',
      thread: { id: 'urn:li:share:7130270000000000000' },
      meta: {
        commentsOn: 'urn:li:share:7130270000000000000',
        object: 'urn:li:share:7130270000000000000',
        shareUrn: 'urn:li:share:7130270000000000000',
      },
    });
    expect(events[1]?.meta).not.toHaveProperty('parentComment');
  });

  it('reads a delivery that writes the comment urn the short way (activity:…): the full urn is kept and answered', () => {
    const [event] = normalise(fixture('comment-delivered.json'));
    const comment = 'urn:li:comment:(urn:li:activity:7130264455690000000,7130269500000000000)';
    expect(event).toMatchObject({
      id: 'linkedin:1205373120',
      kind: 'comment',
      text: 'The app logs me out every five minutes.',
      author: { id: 'urn:li:person:Hj2kL9mNpQ', isSelf: false },
      thread: { id: 'urn:li:activity:7130264455690000000', replyToId: comment },
      meta: { commentUrn: comment, commentsOn: comment, object: 'urn:li:activity:7130264455690000000', parentComment: comment },
    });
  });

  it('marks a comment LinkedIn sent without its decoration: empty text, meta.textMissing', () => {
    const body = fixtureJson<{ notifications: Record<string, unknown>[] }>('comment.json');
    delete body.notifications[0]!.decoratedGeneratedActivity;
    const [event] = normalise(Buffer.from(JSON.stringify(body)));
    expect(event).toMatchObject({ text: '', author: { id: 'unknown', isSelf: false }, meta: { textMissing: true } });
  });

  it('acknowledges other event types with no event', () => {
    expect(normalise(Buffer.from(JSON.stringify({ type: 'LEAD_ACTION', leadGenFormResponse: 'urn:li:leadGenFormResponse:1' })))).toEqual(
      [],
    );
  });

  it('names what is wrong: not JSON (400), a notification without its time or id (422)', () => {
    expect(() => normalise(Buffer.from('challengeCode=1'))).toThrow(BadRequestError);
    const body = fixtureJson<{ notifications: Record<string, unknown>[] }>('comment.json');
    delete body.notifications[0]!.lastModifiedAt;
    expect(() => normalise(Buffer.from(JSON.stringify(body)))).toThrow(/notifications\.0\.lastModifiedAt/);
    body.notifications[0]!.lastModifiedAt = 1700000400000;
    body.notifications[0]!.notificationId = '';
    expect(() => normalise(Buffer.from(JSON.stringify(body)))).toThrow(NormaliseError);
  });
});
