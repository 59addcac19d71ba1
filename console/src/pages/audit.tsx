import { useState } from 'preact/hooks';
import { Loading, Notice } from '../components/notice.js';
import { OwnerName } from '../components/owner-name.js';
import { useApi } from '../components/use-api.js';
import { useNames } from '../components/use-names.js';
import { actionName, exactly, when } from '../format.js';
import type { Names, OwnerIds } from '../names.js';
import type { AuditEntry } from '../types.js';

const KINDS: Record<string, string> = {
  action: 'Actions',
  assignment: 'Assignments',
  approval: 'Approvals',
  crisis: 'Crisis mode',
  escalation: 'Alerts',
  spike: 'Spikes',
  sla: 'Response times',
};

const RANGES: Record<string, number | undefined> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, all: undefined };

/** An action that was only recorded (sandbox mode, or a target without credentials) never reads as sent. */
function isSandboxed(entry: AuditEntry): boolean {
  return entry.detail?.mode === 'sandbox';
}

/** The entry's code as `foghorn audit` prints it: a recorded action reads `….sandboxed`. */
function code(entry: AuditEntry): string {
  return isSandboxed(entry) ? entry.what.replace(/\.succeeded$/, '.sandboxed') : entry.what;
}

const EVENTS: Record<string, string> = {
  'approval.held': 'Held for approval',
  'approval.approved': 'Approved',
  'approval.rejected': 'Rejected',
  'approval.expired': 'Expired: nobody decided in time',
  'crisis.on': 'Crisis mode turned on',
  'crisis.off': 'Crisis mode turned off',
  'spike.opened': 'A spike started',
  'spike.ended': 'A spike ended',
  'sla.breached': 'Waited too long for an answer',
};

const OUTCOMES: Record<string, string> = {
  succeeded: 'sent',
  failed: 'failed for good',
  held: 'held for approval',
  sandboxed: 'recorded, not sent',
};

/** An owner in an assignment line's detail (`from`, `to`), if it is one. */
function ownerIn(value: unknown): OwnerIds | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { person, team } = value as Record<string, unknown>;
  if (typeof person !== 'string' && typeof team !== 'string') return undefined;
  return { ...(typeof person === 'string' ? { person } : {}), ...(typeof team === 'string' ? { team } : {}) };
}

/** An assignment by who it went from and to, by name. */
function assignmentWords(entry: AuditEntry, names: Names) {
  const from = ownerIn(entry.detail?.from);
  const to = ownerIn(entry.detail?.to);
  if (!to) return undefined;
  if (entry.what === 'assignment.kept') {
    return (
      <>
        Kept with <OwnerName owner={to} names={names} />
      </>
    );
  }
  if (entry.what === 'assignment.reassigned' && from) {
    return (
      <>
        Reassigned from <OwnerName owner={from} names={names} /> to <OwnerName owner={to} names={names} />
      </>
    );
  }
  return (
    <>
      Assigned to <OwnerName owner={to} names={names} />
    </>
  );
}

/** What happened, in words. */
function plainWords(entry: AuditEntry): string {
  const known = EVENTS[entry.what];
  if (known) return known;
  const [type = '', outcome = ''] = code(entry).split('.');
  const action = actionName(type);
  return OUTCOMES[outcome] ? `${action} ${OUTCOMES[outcome]}` : code(entry);
}

export function AuditPage() {
  const { data, error, loading } = useApi<{ audit: AuditEntry[] }>('/api/audit?limit=2000', 15_000);
  const [kind, setKind] = useState('');
  const [who, setWho] = useState('');
  const [range, setRange] = useState('all');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const { names } = useNames();
  const entries = data?.audit ?? [];
  const people = [...new Set(entries.map((entry) => entry.who).filter((name): name is string => Boolean(name)))].sort();
  const span = RANGES[range];
  const earliest = from ? Date.parse(from) : span !== undefined ? Date.now() - span : undefined;
  const latest = until ? Date.parse(until) : undefined;
  const shown = entries.filter((entry) => {
    const at = Date.parse(entry.at);
    return (
      (!kind || entry.kind === kind) &&
      (!who || entry.who === who) &&
      (earliest === undefined || at >= earliest) &&
      (latest === undefined || at < latest)
    );
  });
  return (
    <section>
      <h1>Audit</h1>
      <p class="lede">Everything Foghorn did or was told to do, newest first, with who and why.</p>
      <form class="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Kind
          <select name="kind" value={kind} onChange={(event) => setKind((event.target as HTMLSelectElement).value)}>
            <option value="">All</option>
            {Object.entries(KINDS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Who
          <select name="who" value={who} onChange={(event) => setWho((event.target as HTMLSelectElement).value)}>
            <option value="">Anyone</option>
            {people.map((person) => (
              <option key={person} value={person} dir="auto">
                {names.who(person)}
              </option>
            ))}
          </select>
        </label>
        <label>
          When
          <select name="range" value={range} onChange={(event) => setRange((event.target as HTMLSelectElement).value)}>
            <option value="1h">Last hour</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="all">Any time</option>
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" name="from" value={from} onInput={(event) => setFrom((event.target as HTMLInputElement).value)} />
        </label>
        <label>
          Until
          <input type="datetime-local" name="until" value={until} onInput={(event) => setUntil((event.target as HTMLInputElement).value)} />
        </label>
      </form>
      {error ? <Notice kind="error">The audit log could not be loaded: {error.message}</Notice> : null}
      {loading && !data ? <Loading /> : null}
      {data && shown.length === 0 ? <p class="empty">No entry matches.</p> : null}
      {shown.length > 0 ? (
        <table class="audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Who</th>
              <th scope="col">Why</th>
              <th scope="col">Rule</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => (
              <tr key={entry.id} data-what={entry.what} data-sandboxed={isSandboxed(entry) ? 'true' : undefined}>
                <td>
                  <time dateTime={entry.at} title={exactly(entry.at)}>
                    {when(entry.at)}
                  </time>
                </td>
                <td>
                  {(entry.kind === 'assignment' ? assignmentWords(entry, names) : undefined) ?? plainWords(entry)}
                  {isSandboxed(entry) ? <span class="badge mode-sandbox">sandboxed</span> : null}
                  <br />
                  <code class="muted small">{code(entry)}</code>
                </td>
                <td>{entry.who ? <bdi>{names.who(entry.who)}</bdi> : ''}</td>
                <td dir="auto">{entry.why ?? ''}</td>
                <td>{entry.ruleId ? <code>{entry.ruleId}</code> : ''}</td>
                <td>{entry.eventId ? <a href={`/conversation/${encodeURIComponent(entry.eventId)}`}>Open</a> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
