import { useMemo, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { TimeChart } from '../components/chart.js';
import { Loading, Notice } from '../components/notice.js';
import { ReasonForm } from '../components/reason-form.js';
import { useApi } from '../components/use-api.js';
import { useNames } from '../components/use-names.js';
import { ago, count, duration, exactly, when } from '../format.js';
import { allowed, useSession, whoIs } from '../session.js';
import type { CrisisState, FeedEvent, Spike } from '../types.js';

const MINUTE_MS = 60_000;

export function CrisisPage(props: { onChanged(): void }) {
  const session = useSession();
  const crisis = useApi<{ crisis: CrisisState }>('/api/crisis', 10_000);
  const spikes = useApi<{ spikes: Spike[] }>('/api/spikes', 15_000);
  const recent = useApi<{ events: FeedEvent[] }>('/api/events?since=1h&limit=10000', 30_000);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>(undefined);
  const state = crisis.data?.crisis;
  const { names } = useNames();

  const perMinute = useMemo(() => {
    const end = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const times: number[] = [];
    const values: number[] = [];
    for (let minute = end - 59 * MINUTE_MS; minute <= end; minute += MINUTE_MS) {
      times.push(minute / 1000);
      values.push(0);
    }
    for (const event of recent.data?.events ?? []) {
      const index = Math.floor((Date.parse(event.receivedAt) - (end - 59 * MINUTE_MS)) / MINUTE_MS);
      if (index >= 0 && index < values.length) values[index] = (values[index] ?? 0) + 1;
    }
    return { times, values };
  }, [recent.data]);

  const turn = async (on: boolean, why: string) => {
    setBusy(true);
    try {
      await api.post(`/api/crisis/${on ? 'on' : 'off'}`, { who: whoIs(session), why });
      setMessage({ kind: 'ok', text: on ? 'Crisis mode is on. Replies and posts now wait for approval.' : 'Crisis mode is off.' });
      setAsking(false);
      await crisis.reload();
      props.onChanged();
    } catch (caught) {
      setMessage({ kind: 'error', text: caught instanceof ApiError ? caught.message : String(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>Crisis</h1>
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      {crisis.error ? <Notice kind="error">Crisis mode could not be read: {crisis.error.message}</Notice> : null}
      {!state ? (
        <Loading />
      ) : (
        <div class={`crisis-state ${state.on ? 'crisis-on' : 'crisis-off'}`} data-crisis={state.on ? 'on' : 'off'}>
          <p class="crisis-headline">{state.on ? 'Crisis mode is ON' : 'Crisis mode is off'}</p>
          <p>
            {state.on
              ? 'Every reply and post waits in Approvals until a person approves it, except those of rules written for a crisis. Alerts still go out.'
              : 'Replies and posts go out as the rules decide.'}
          </p>
          {state.since ? (
            <dl class="inline">
              <dt>Since</dt>
              <dd>
                <time dateTime={state.since} title={exactly(state.since)}>
                  {when(state.since)}
                </time>{' '}
                ({ago(state.since)})
              </dd>
              <dt>{state.on ? 'Turned on by' : 'Turned off by'}</dt>
              <dd>{state.by ? <bdi>{names.who(state.by)}</bdi> : '—'}</dd>
              <dt>Why</dt>
              <dd dir="auto">{state.why ?? '—'}</dd>
            </dl>
          ) : null}
          {!allowed(session, 'lead') ? (
            <p class="muted">Only leads and admins can switch crisis mode.</p>
          ) : asking ? (
            <ReasonForm
              label={state.on ? 'Why turn crisis mode off?' : 'Why turn crisis mode on?'}
              hint="The reason is kept in the audit log with your name."
              confirm={state.on ? 'Confirm: turn it off' : 'Confirm: turn it on'}
              busy={busy}
              onConfirm={(why) => void turn(!state.on, why)}
              onCancel={() => setAsking(false)}
            />
          ) : (
            <p>
              <button type="button" class={state.on ? 'primary' : 'danger'} onClick={() => setAsking(true)}>
                {state.on ? 'Turn crisis mode off' : 'Turn crisis mode on'}
              </button>
            </p>
          )}
        </div>
      )}

      <h2>Open spike episodes</h2>
      {spikes.error ? <Notice kind="warning">Spikes could not be read: {spikes.error.message}</Notice> : null}
      {spikes.data && spikes.data.spikes.length === 0 ? <p class="empty">No spike is going on.</p> : null}
      {spikes.data && spikes.data.spikes.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Started</th>
              <th scope="col">Latest message</th>
              <th scope="col" class="number">
                Messages so far
              </th>
              <th scope="col">Ends after a quiet</th>
            </tr>
          </thead>
          <tbody>
            {spikes.data.spikes.map((spike) => (
              <tr key={spike.incident}>
                <td>
                  <code>{spike.ruleId}</code>
                </td>
                <td>{when(spike.startedAt)}</td>
                <td>{ago(spike.lastEventAt)}</td>
                <td class="number">{count(spike.count)}</td>
                <td>{duration(spike.quietMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2>Messages in the last hour</h2>
      {recent.data ? (
        <TimeChart
          title="Messages received per minute, last 60 minutes"
          times={perMinute.times}
          values={perMinute.values}
          unit="messages"
          timeHeading="Minute"
          valueHeading="Messages"
          formatTime={(seconds) => when(new Date(seconds * 1000).toISOString())}
        />
      ) : (
        <Loading />
      )}
    </section>
  );
}
