import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { FilterSelect } from '../components/filter-select.js';
import { Loading, Notice } from '../components/notice.js';
import { OwnerName } from '../components/owner-name.js';
import { useNames } from '../components/use-names.js';
import {
  actionName,
  authorName,
  exactly,
  kindName,
  languageName,
  platformName,
  STATUS_ORDER,
  statusName,
  webLink,
  when,
} from '../format.js';
import { followFeed } from '../live.js';
import type { Names } from '../names.js';
import { navigate, useLocation } from '../router.js';
import { type Session, useSession } from '../session.js';
import type { ActionRecord, Decision, FeedEvent, Owner } from '../types.js';

const PAGE = 100;
/** The most events the page keeps; older ones are left to "Show older messages" and the API. */
const KEEP = 2_000;

interface FeedState {
  events: Map<string, FeedEvent>;
  actions: Map<string, Map<string, ActionRecord>>;
  decisions: Map<string, Decision>;
}

interface Filters {
  platform: string;
  lang: string;
  kind: string;
  rule: string;
  status: string;
}

const NO_FILTERS: Filters = { platform: '', lang: '', kind: '', rule: '', status: '' };

/** Whose messages the Feed shows: everyone's, one person's (`?owner=`, `me` for the signed-in user), or a team's (`?team=`). */
type Whose = { kind: 'all' } | { kind: 'person'; person: string; mine: boolean } | { kind: 'team'; team: string; mine: boolean };

/** A live event's owner may be set a moment after it arrives (the rules run after ingest): asked again once. */
const OWNER_RECHECK_MS = 3_000;

function whoseOf(search: URLSearchParams, session: Session): Whose | { kind: 'unlinked' } {
  const owner = search.get('owner');
  const team = search.get('team');
  const me = session.user;
  if (owner === 'me') return me?.person ? { kind: 'person', person: me.person, mine: true } : { kind: 'unlinked' };
  if (owner) return { kind: 'person', person: owner, mine: owner === me?.person };
  if (team) return { kind: 'team', team, mine: me?.teams?.includes(team) ?? false };
  return { kind: 'all' };
}

function matches(whose: Whose, owner: Owner | null | undefined): boolean {
  if (whose.kind === 'all') return true;
  if (whose.kind === 'person') return owner?.person === whose.person;
  return owner?.team === whose.team;
}

/** The Feed, for everyone or for "Mine" / "My team" (kept in the address: /feed?owner=me, /feed?team=…). */
export function FeedPage() {
  const session = useSession();
  const { search } = useLocation();
  const whose = whoseOf(search, session);
  const key = whose.kind === 'person' ? `person:${whose.person}` : whose.kind === 'team' ? `team:${whose.team}` : whose.kind;
  return <FeedView key={key} whose={whose} session={session} />;
}

function WhoseTabs(props: { whose: Whose | { kind: 'unlinked' }; session: Session; names: Names }) {
  const me = props.session.user;
  const { names, whose } = props;
  const myTeam = props.whose.kind === 'team' && props.whose.mine ? props.whose.team : me?.teams?.[0];
  const current =
    props.whose.kind === 'all'
      ? 'all'
      : props.whose.kind === 'team'
        ? props.whose.mine
          ? 'team'
          : ''
        : props.whose.kind === 'person' && !props.whose.mine
          ? ''
          : 'mine';
  const tab = (name: string, label: string, to: string | undefined) => (
    <button
      type="button"
      class={`tab${current === name ? ' current' : ''}`}
      aria-pressed={current === name}
      disabled={!to}
      onClick={() => to && navigate(to)}
    >
      {label}
    </button>
  );
  return (
    <>
      <nav class="tabs" aria-label="Whose messages">
        {tab('all', 'All', '/feed')}
        {tab('mine', 'Mine', me?.person ? '/feed?owner=me' : undefined)}
        {tab('team', 'My team', myTeam ? `/feed?team=${encodeURIComponent(myTeam)}` : undefined)}
      </nav>
      {!me?.person ? (
        <p class="hint muted" data-hint="unlinked">
          {me
            ? `"Mine" and "My team" show the conversations given to you. Your console user ${me.name} is not linked to a person yet: ask an admin to add "user: ${me.name}" to your entry under people: in foghorn.config.yaml.`
            : '"Mine" and "My team" need sign-in: with console users set up, each user can be linked to a person under people: in foghorn.config.yaml.'}
        </p>
      ) : null}
      {whose.kind === 'person' ? (
        <p class="hint muted" data-hint="whose">
          {whose.mine ? 'Conversations given to you, ' : 'Conversations of '}
          <bdi>{names.person(whose.person)}</bdi>.
        </p>
      ) : null}
      {whose.kind === 'team' ? (
        <p class="hint muted" data-hint="whose">
          {whose.mine ? 'Conversations given to your team, ' : 'Conversations of the '}
          <bdi>{names.team(whose.team)}</bdi>
          {whose.mine ? '.' : ' team.'}
        </p>
      ) : null}
    </>
  );
}

async function decisionsFor(ids: string[]): Promise<Record<string, Decision>> {
  const found: Record<string, Decision> = {};
  for (let start = 0; start < ids.length; start += 100) {
    const search = new URLSearchParams();
    for (const id of ids.slice(start, start + 100)) search.append('event', id);
    try {
      Object.assign(found, (await api.get<{ decisions: Record<string, Decision> }>(`/api/decisions?${search}`)).decisions);
    } catch {
      return found;
    }
  }
  return found;
}

function FeedView(props: { whose: Whose | { kind: 'unlinked' }; session: Session }) {
  const whose: Whose = props.whose.kind === 'unlinked' ? { kind: 'all' } : props.whose;
  const unlinked = props.whose.kind === 'unlinked';
  const ownerQuery = whose.kind === 'person' ? { owner: whose.person } : whose.kind === 'team' ? { team: whose.team } : {};
  const state = useRef<FeedState>({ events: new Map(), actions: new Map(), decisions: new Map() }).current;
  const [version, setVersion] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [mode, setMode] = useState<'live' | 'polling' | 'connecting' | 'loading'>('loading');
  const [error, setError] = useState<string | undefined>(undefined);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const changed = () => setVersion((v) => v + 1);
  // Live events without an owner yet: their assign action's success is when to ask again (the recheck may come too soon).
  const unowned = useRef(new Map<string, FeedEvent>()).current;
  const { names } = useNames();

  const addEvents = (events: FeedEvent[]) => {
    for (const event of events) state.events.set(event.id, event);
    if (state.events.size > KEEP) {
      const newest = [...state.events.values()].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).slice(0, KEEP);
      state.events.clear();
      for (const event of newest) state.events.set(event.id, event);
    }
  };
  const addAction = (action: ActionRecord) => {
    const forEvent = state.actions.get(action.eventId) ?? new Map<string, ActionRecord>();
    const known = forEvent.get(action.id);
    if (!known || known.updatedAt <= action.updatedAt) forEvent.set(action.id, action);
    state.actions.set(action.eventId, forEvent);
  };
  const addDecisions = (found: Record<string, Decision>) => {
    for (const [id, decision] of Object.entries(found)) state.decisions.set(id, decision);
  };

  // A live event in a filtered Feed is shown once its owner is the one asked for; in "All", its owner is filled in.
  const ownerOfLive = async (event: FeedEvent, cancelled: () => boolean, again = true): Promise<void> => {
    let owner: Owner | null = null;
    try {
      owner = (await api.get<{ owner?: Owner | null }>(`/api/events/${encodeURIComponent(event.id)}`)).owner ?? null;
    } catch {
      owner = null;
    }
    if (cancelled()) return;
    if (whose.kind === 'all') {
      const known = state.events.get(event.id);
      if (owner && known) {
        state.events.set(event.id, { ...known, owner });
        changed();
      } else if (!owner && again) setTimeout(() => void ownerOfLive(event, cancelled, false), OWNER_RECHECK_MS);
      return;
    }
    if (matches(whose, owner)) {
      addEvents([{ ...event, owner }]);
      changed();
    } else if (again) setTimeout(() => void ownerOfLive(event, cancelled, false), OWNER_RECHECK_MS);
  };

  useEffect(() => {
    if (unlinked) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    (async () => {
      try {
        const [events, actions] = await Promise.all([
          api.get<{ events: FeedEvent[]; next: string | null }>(`/api/events${query({ limit: String(PAGE), ...ownerQuery })}`),
          api.get<{ actions: ActionRecord[] }>(`/api/actions${query({ limit: '1000' })}`),
        ]);
        if (cancelled) return;
        addEvents(events.events);
        for (const action of actions.actions) addAction(action);
        setNext(events.next);
        addDecisions(await decisionsFor(events.events.map((event) => event.id)));
        if (cancelled) return;
        changed();
        setError(undefined);
        stop = followFeed(events.events[0]?.receivedAt, {
          event: (streamed) => {
            // The stream reads back a few seconds and carries no owner: an event shown already keeps the one it has.
            const known = state.events.get(streamed.id)?.owner;
            const event = known && !streamed.owner ? { ...streamed, owner: known } : streamed;
            if (whose.kind === 'all') {
              addEvents([event]);
              changed();
            }
            if (!event.owner) {
              unowned.set(event.id, event);
              if (unowned.size > KEEP) unowned.delete(unowned.keys().next().value as string);
              void ownerOfLive(event, () => cancelled);
            }
          },
          action: (action) => {
            addAction(action);
            changed();
            const waiting = action.type === 'assign' && action.status === 'succeeded' ? unowned.get(action.eventId) : undefined;
            if (waiting) {
              unowned.delete(action.eventId);
              void ownerOfLive(waiting, () => cancelled, false);
            }
          },
          decision: (eventId, decision) => {
            state.decisions.set(eventId, decision);
            changed();
          },
          mode: setMode,
        });
      } catch (caught) {
        if (!cancelled) setError(caught instanceof Error ? caught.message : String(caught));
      }
    })();
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);

  // The stream sends the rules of the newest events; any other recent event still "Checking…" is asked for here.
  useEffect(() => {
    const timer = setInterval(async () => {
      const recent = Date.now() - 5 * 60_000;
      const ids = [...state.events.values()]
        .filter((event) => !state.decisions.has(event.id) && Date.parse(event.receivedAt) >= recent)
        .map((event) => event.id)
        .slice(0, 100);
      if (ids.length === 0) return;
      const found = await decisionsFor(ids);
      if (Object.keys(found).length === 0) return;
      addDecisions(found);
      changed();
    }, 5_000);
    return () => clearInterval(timer);
  }, []);

  const showOlder = async () => {
    if (!next) return;
    try {
      const page = await api.get<{ events: FeedEvent[]; next: string | null }>(
        `/api/events${query({ limit: String(PAGE), cursor: next, ...ownerQuery })}`,
      );
      addEvents(page.events);
      const oldest = page.events[page.events.length - 1];
      if (oldest) {
        const older = await api.get<{ actions: ActionRecord[] }>(`/api/actions${query({ since: oldest.receivedAt, limit: '1000' })}`);
        for (const action of older.actions) addAction(action);
      }
      addDecisions(await decisionsFor(page.events.map((event) => event.id)));
      setNext(page.next);
      changed();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  const all = useMemo(() => [...state.events.values()].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)), [version]);
  const options = useMemo(() => {
    const platforms = new Set<string>();
    const langs = new Set<string>();
    const kinds = new Set<string>();
    const rules = new Set<string>();
    for (const event of all) {
      platforms.add(event.platform);
      if (event.lang) langs.add(event.lang);
      kinds.add(event.kind);
      for (const rule of state.decisions.get(event.id)?.rules ?? []) rules.add(rule);
      for (const action of state.actions.get(event.id)?.values() ?? []) rules.add(action.ruleId);
    }
    return { platforms: [...platforms].sort(), langs: [...langs].sort(), kinds: [...kinds].sort(), rules: [...rules].sort() };
  }, [version]);

  const shown = all.filter((event) => {
    const actions = [...(state.actions.get(event.id)?.values() ?? [])];
    const rules = new Set([...(state.decisions.get(event.id)?.rules ?? []), ...actions.map((action) => action.ruleId)]);
    return (
      (!filters.platform || event.platform === filters.platform) &&
      (!filters.lang || (filters.lang === '-' ? !event.lang : event.lang === filters.lang)) &&
      (!filters.kind || event.kind === filters.kind) &&
      (!filters.rule || rules.has(filters.rule)) &&
      (!filters.status || (filters.status === 'none' ? actions.length === 0 : actions.some((action) => action.status === filters.status)))
    );
  });

  const filtering = Object.values(filters).some((value) => value !== '');
  const set = (name: keyof Filters) => (event: Event) => setFilters({ ...filters, [name]: (event.target as HTMLSelectElement).value });

  return (
    <section>
      <h1>Feed</h1>
      <p class="lede">
        Messages about the brand as they arrive, what the rules decided, and what was sent.{' '}
        <span class={`live live-${mode}`} data-mode={mode}>
          {mode === 'live'
            ? 'Updating live.'
            : mode === 'polling'
              ? 'Updating every few seconds.'
              : mode === 'connecting'
                ? 'Connecting…'
                : ''}
        </span>
      </p>
      <WhoseTabs whose={props.whose} session={props.session} names={names} />
      {unlinked ? <Notice kind="warning">There is no "Mine" for a console user who is not linked to a person.</Notice> : null}
      {error ? <Notice kind="error">The feed could not be loaded: {error}</Notice> : null}
      <form class="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <FilterSelect
          label="Platform"
          name="platform"
          value={filters.platform}
          onChange={set('platform')}
          choices={options.platforms.map((platform) => ({ value: platform, label: platformName(platform) }))}
        />
        <FilterSelect
          label="Language"
          name="lang"
          value={filters.lang}
          onChange={set('lang')}
          choices={[...options.langs.map((lang) => ({ value: lang, label: languageName(lang) })), { value: '-', label: 'Not known' }]}
        />
        <FilterSelect
          label="Kind"
          name="kind"
          value={filters.kind}
          onChange={set('kind')}
          choices={options.kinds.map((kind) => ({ value: kind, label: kindName(kind) }))}
        />
        <FilterSelect
          label="Rule"
          name="rule"
          value={filters.rule}
          onChange={set('rule')}
          choices={options.rules.map((rule) => ({ value: rule, label: rule }))}
        />
        <FilterSelect
          label="Status"
          name="status"
          value={filters.status}
          onChange={set('status')}
          choices={[...STATUS_ORDER.map((status) => ({ value: status, label: statusName(status) })), { value: 'none', label: 'No action' }]}
        />
        {filtering ? (
          <button type="button" onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </button>
        ) : null}
      </form>
      {mode === 'loading' && !error && !unlinked ? <Loading /> : null}
      {mode !== 'loading' && !unlinked && shown.length === 0 ? (
        <p class="empty">
          {filtering ? (
            'No message matches these filters.'
          ) : whose.kind === 'all' ? (
            'No messages yet. New ones appear here as they arrive.'
          ) : (
            <>
              No conversations are given to{' '}
              {whose.kind === 'person' ? (
                whose.mine ? (
                  'you'
                ) : (
                  <bdi>{names.person(whose.person)}</bdi>
                )
              ) : (
                <>
                  the <bdi>{names.team(whose.team)}</bdi> team
                </>
              )}{' '}
              yet. New ones appear here as they are assigned.
            </>
          )}
        </p>
      ) : null}
      {shown.length > 0 ? (
        <table class="feed">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Where</th>
              <th scope="col">From</th>
              <th scope="col">Message</th>
              <th scope="col">Language</th>
              <th scope="col">Owner</th>
              <th scope="col">Rules that matched</th>
              <th scope="col">What Foghorn did</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((event) => (
              <FeedRow
                key={event.id}
                event={event}
                decision={state.decisions.get(event.id)}
                actions={[...(state.actions.get(event.id)?.values() ?? [])]}
                names={names}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {next ? (
        <p>
          <button type="button" onClick={() => void showOlder()}>
            Show older messages
          </button>
        </p>
      ) : null}
    </section>
  );
}

function FeedRow(props: { event: FeedEvent; decision: Decision | undefined; actions: ActionRecord[]; names: Names }) {
  const { event, decision, actions } = props;
  const link = webLink(event.url);
  const rules = [...new Set([...(decision?.rules ?? []), ...actions.map((action) => action.ruleId)])];
  return (
    <tr data-event-id={event.id}>
      <td>
        <time dateTime={event.receivedAt} title={exactly(event.receivedAt)}>
          {when(event.receivedAt)}
        </time>
      </td>
      <td>
        <span class="platform">{platformName(event.platform)}</span>
        <br />
        <span class="muted">{kindName(event.kind)}</span>
      </td>
      <td>
        <span class="author" dir="auto">
          {authorName(event.author)}
        </span>
        {event.author.verified ? <span class="badge">verified</span> : null}
        {event.author.isSelf || event.sentByFoghorn ? <span class="badge">our account</span> : null}
      </td>
      <td class="message">
        <p class="message-text" dir="auto" lang={event.lang}>
          {event.text || <span class="muted">(no text)</span>}
        </p>
        <p class="links">
          <a href={`/conversation/${encodeURIComponent(event.id)}`}>Open conversation</a>
          {link ? (
            <>
              {' · '}
              <a href={link} target="_blank" rel="noopener noreferrer">
                View on {platformName(event.platform)}
              </a>
            </>
          ) : null}
        </p>
      </td>
      <td>{languageName(event.lang)}</td>
      <td class="owner" data-owner={event.owner?.person ?? event.owner?.team ?? ''}>
        {event.owner?.person || event.owner?.team ? (
          <OwnerName owner={event.owner} names={props.names} />
        ) : (
          <span class="muted">Nobody</span>
        )}
      </td>
      <td>
        {rules.length === 0 ? (
          <span class="muted">{decision ? 'None' : 'Checking…'}</span>
        ) : (
          <ul class="plain">
            {rules.map((rule) => (
              <li key={rule}>
                <code>{rule}</code>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {actions.length === 0 ? (
          <span class="muted">Nothing</span>
        ) : (
          <ul class="plain actions">
            {actions
              .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
              .map((action) => (
                <li key={action.id} data-status={action.status}>
                  {actionName(action.type)}: <span class={`status status-${action.status}`}>{statusName(action.status)}</span>
                  {action.mode ? <span class={`badge mode-${action.mode}`}>{action.mode}</span> : null}
                </li>
              ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
