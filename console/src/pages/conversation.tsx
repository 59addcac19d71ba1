import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { Loading, Notice } from '../components/notice.js';
import { OwnerName } from '../components/owner-name.js';
import { isUnavailable, NotAvailable } from '../components/unavailable.js';
import { useApi } from '../components/use-api.js';
import { useNames } from '../components/use-names.js';
import { actionName, authorName, duration, exactly, kindName, languageName, platformName, statusName, webLink, when } from '../format.js';
import { allowed, useSession, whoIs } from '../session.js';
import type { Conversation, ConversationAnswer, ConversationTicket, FeedEvent, Owner } from '../types.js';

const LAST_OPENED = 'foghorn.conversation';

/** The conversation the nav link opens: the one last looked at, if any. */
export function lastConversation(): string | undefined {
  try {
    return sessionStorage.getItem(LAST_OPENED) ?? undefined;
  } catch {
    return undefined;
  }
}

export function ConversationPage(props: { id: string | undefined }) {
  if (!props.id) {
    return (
      <section>
        <h1>Conversation</h1>
        <p class="empty">
          Choose a message in the <a href="/feed">Feed</a> and select "Open conversation" to see its whole thread here.
        </p>
      </section>
    );
  }
  return <Thread id={props.id} />;
}

type Entry =
  | { at: string; kind: 'message'; from: 'customer' | 'team' | 'foghorn'; event: FeedEvent }
  | { at: string; kind: 'answer'; answer: ConversationAnswer };

function Thread(props: { id: string }) {
  const { data, error, loading } = useApi<{ conversation: Conversation }>(`/api/conversations/${encodeURIComponent(props.id)}`, 10_000);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    try {
      sessionStorage.setItem(LAST_OPENED, props.id);
    } catch {
      // Private windows may refuse storage; the nav link then opens the empty page.
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [props.id]);

  if (loading && !data) {
    return (
      <section>
        <h1>Conversation</h1>
        <Loading />
      </section>
    );
  }
  if (error || !data) {
    return (
      <section>
        <h1>Conversation</h1>
        {isUnavailable(error) ? (
          <NotAvailable what="Conversations are" />
        ) : (
          <Notice kind="error">
            {error?.status === 404 ? 'There is no such message.' : `The conversation could not be loaded: ${error?.message}`}
          </Notice>
        )}
      </section>
    );
  }
  const { conversation } = data;
  const entries: Entry[] = [
    ...conversation.messages.map((m) => ({ at: m.event.createdAt, kind: 'message' as const, from: m.from, event: m.event })),
    ...conversation.answers.map((answer) => ({
      at: answer.at ?? conversation.messages[0]?.event.createdAt ?? '',
      kind: 'answer' as const,
      answer,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const first = conversation.messages[0]?.event;

  return (
    <section>
      <h1>Conversation</h1>
      <p class="lede">
        {platformName(conversation.platform)}
        {conversation.channel.name ? (
          <>
            , <span dir="auto">{conversation.channel.name}</span>
          </>
        ) : null}
        {first ? ` · started ${when(first.createdAt)}` : null} · {conversation.messages.length}{' '}
        {conversation.messages.length === 1 ? 'message' : 'messages'}
      </p>
      <OwnerAndTickets eventId={props.id} />
      {conversation.timers.map((timer) => {
        const due = Date.parse(timer.dueAt);
        const waited = now - Date.parse(timer.startedAt);
        return (
          <Notice key={timer.id} kind={due <= now ? 'error' : 'warning'}>
            <strong>Waiting for an answer: {duration(waited)} so far.</strong>{' '}
            {due > now
              ? `The team should answer within ${duration(due - Date.parse(timer.startedAt))} (by ${when(timer.dueAt)}, ${duration(due - now)} left).`
              : `The ${duration(due - Date.parse(timer.startedAt))} target has passed.`}{' '}
            <span class="muted">Rule {timer.ruleId}.</span>
          </Notice>
        );
      })}
      <ol class="thread">
        {entries.map((entry) =>
          entry.kind === 'message' ? (
            <li key={entry.event.id} class={`bubble from-${entry.from}`} data-event-id={entry.event.id}>
              <p class="meta">
                <span class="author" dir="auto">
                  {authorName(entry.event.author)}
                </span>
                {entry.from === 'team' ? ' (our team)' : entry.from === 'foghorn' ? ' (Foghorn)' : ''} ·{' '}
                <time dateTime={entry.event.createdAt} title={exactly(entry.event.createdAt)}>
                  {when(entry.event.createdAt)}
                </time>{' '}
                · {kindName(entry.event.kind)} · {languageName(entry.event.lang)}
              </p>
              <p class="message-text" dir="auto" lang={entry.event.lang}>
                {entry.event.text}
              </p>
              {webLink(entry.event.url) ? (
                <p class="links">
                  <a href={webLink(entry.event.url)} target="_blank" rel="noopener noreferrer">
                    View on {platformName(entry.event.platform)}
                  </a>
                </p>
              ) : null}
            </li>
          ) : (
            <li key={entry.answer.commandId} class="bubble from-foghorn" data-command-id={entry.answer.commandId}>
              <p class="meta">
                Foghorn's {actionName(entry.answer.type).toLowerCase()}, by rule <code>{entry.answer.ruleId}</code> ·{' '}
                <span class={`status status-${entry.answer.status}`}>{statusName(entry.answer.status)}</span>
                {entry.answer.mode ? <span class={`badge mode-${entry.answer.mode}`}>{entry.answer.mode}</span> : null}
                {entry.answer.at ? ` · ${when(entry.answer.at)}` : null}
              </p>
              <p class="message-text" dir="auto">
                {entry.answer.text ?? <span class="muted">(no text)</span>}
              </p>
            </li>
          ),
        )}
      </ol>
      {!conversation.complete ? <p class="muted">Only the most recent messages of a long history were searched.</p> : null}
    </section>
  );
}

const HELPDESK_NAMES: Record<ConversationTicket['helpdesk'], string> = { zendesk: 'Zendesk', freshdesk: 'Freshdesk', jira: 'Jira' };

/** The conversation's owner and its helpdesk tickets, both from `/api/events/{id}`. */
function OwnerAndTickets(props: { eventId: string }) {
  const { data, reload } = useApi<{ tickets?: ConversationTicket[]; owner?: Owner | null }>(
    `/api/events/${encodeURIComponent(props.eventId)}`,
    30_000,
  );
  return (
    <>
      {data && data.owner !== undefined ? <OwnerLine eventId={props.eventId} owner={data.owner} changed={reload} /> : null}
      <Tickets tickets={data?.tickets ?? []} />
    </>
  );
}

/** Who answers this conversation, and (agents and up) "Assign" to another person or team: the API audits the change. */
function OwnerLine(props: { eventId: string; owner: Owner | null; changed: () => Promise<void> }) {
  const session = useSession();
  const mayAssign = allowed(session, 'agent');
  const { names, teams } = useNames();
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: ComponentChildren } | undefined>(undefined);
  const assign = async (event: Event) => {
    event.preventDefault();
    const [kind, name] = choice.split(':', 2) as ['person' | 'team', string];
    if (!name) return;
    setBusy(true);
    try {
      // One id per click: a retried request changes nothing more.
      await api.post(`/api/events/${encodeURIComponent(props.eventId)}/assign`, {
        [kind]: name,
        who: whoIs(session),
        requestId: crypto.randomUUID(),
      });
      setMessage({
        kind: 'ok',
        text: (
          <>
            Assigned to {kind === 'team' ? 'the ' : ''}
            <OwnerName owner={kind === 'team' ? { team: name } : { person: name }} names={names} />.
          </>
        ),
      });
      setChoice('');
      await props.changed();
    } catch (caught) {
      setMessage({ kind: 'error', text: caught instanceof ApiError ? caught.message : String(caught) });
    } finally {
      setBusy(false);
    }
  };
  const owner = props.owner;
  return (
    <div class="owner-line" data-owner={owner?.person ?? owner?.team ?? ''}>
      <strong>Owner</strong>:{' '}
      {owner && (owner.person || owner.team) ? (
        <>
          <span class="owner-name">
            <OwnerName owner={owner} names={names} />
          </span>{' '}
          <span class="muted">
            since {when(owner.since)}, by <bdi>{names.who(owner.by)}</bdi>
          </span>
        </>
      ) : (
        <span class="muted">nobody yet</span>
      )}
      {mayAssign && teams && teams.length > 0 ? (
        <form onSubmit={(event) => void assign(event)}>
          <select aria-label="Assign to" value={choice} onChange={(event) => setChoice((event.target as HTMLSelectElement).value)}>
            <option value="">Choose a person or team…</option>
            <optgroup label="People">
              {names.people.map((person) => (
                <option key={person.id} value={`person:${person.id}`} dir="auto">
                  {/* Two people of one name are told apart by their ids. */}
                  {names.people.some((other) => other.id !== person.id && other.name === person.name)
                    ? `${person.name} (${person.id})`
                    : person.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Teams">
              {teams.map((team) => (
                <option key={team.id} value={`team:${team.id}`} dir="auto">
                  {names.team(team.id)}
                </option>
              ))}
            </optgroup>
          </select>
          <button type="submit" disabled={busy || choice === ''}>
            Assign
          </button>
        </form>
      ) : null}
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
    </div>
  );
}

/** The helpdesk tickets of the conversation: where the team that can fix it works on it. */
function Tickets(props: { tickets: ConversationTicket[] }) {
  const tickets = props.tickets;
  if (tickets.length === 0) return null;
  return (
    <ul class="tickets">
      {tickets.map((ticket) => (
        <li key={ticket.target} data-ticket-id={ticket.id}>
          <strong>Ticket</strong>:{' '}
          {ticket.status === 'open' && ticket.id ? (
            webLink(ticket.url) ? (
              <a href={webLink(ticket.url)} target="_blank" rel="noopener noreferrer">
                {HELPDESK_NAMES[ticket.helpdesk]} {ticket.id}
              </a>
            ) : (
              `${HELPDESK_NAMES[ticket.helpdesk]} ${ticket.id}`
            )
          ) : (
            <span class="muted">being opened in {HELPDESK_NAMES[ticket.helpdesk]}</span>
          )}{' '}
          <span class="muted">({ticket.target})</span>
        </li>
      ))}
    </ul>
  );
}
