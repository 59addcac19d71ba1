import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { Loading, Notice } from '../components/notice.js';
import { isUnavailable, NotAvailable } from '../components/unavailable.js';
import { useApi } from '../components/use-api.js';
import { actionName, count } from '../format.js';
import { allowed, useSession } from '../session.js';
import type { DeadLetter } from '../types.js';

const QUEUES: Record<string, string> = {
  events: 'Messages that could not be checked against the rules',
  actions: 'Actions that failed for good',
};

function describe(letter: DeadLetter): { what: string; rule: string; reason: string; eventId?: string } {
  const body = letter.body;
  const type = typeof body.type === 'string' ? actionName(body.type) : typeof body.kind === 'string' ? 'Message' : 'Item';
  return {
    what: type,
    rule: typeof body.ruleId === 'string' ? body.ruleId : '',
    reason: typeof body.deadLetterReason === 'string' ? body.deadLetterReason : '',
    ...(typeof body.eventId === 'string'
      ? { eventId: body.eventId }
      : typeof body.id === 'string' && typeof body.kind === 'string'
        ? { eventId: body.id }
        : {}),
  };
}

export function DeadLettersPage() {
  const session = useSession();
  const { data, error, loading, reload } = useApi<{ deadLetters: Record<string, DeadLetter[]> }>('/api/dead-letters', 15_000);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>(undefined);
  const redrive = async (queue: string) => {
    setBusy(queue);
    try {
      const { redriven } = await api.post<{ redriven: number | string[] }>(`/api/dead-letters/${encodeURIComponent(queue)}/redrive`);
      // docs/api.md answers a count; a list of the ids sent back reads the same.
      const sent = Array.isArray(redriven) ? redriven.length : redriven;
      setMessage({ kind: 'ok', text: `${count(sent)} sent back for another try.` });
      await reload();
    } catch (caught) {
      setMessage({ kind: 'error', text: caught instanceof ApiError ? caught.message : String(caught) });
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section>
      <h1>Dead letters</h1>
      <p class="lede">What Foghorn could not do after every retry. Fix the cause, then send them back for another try.</p>
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      {isUnavailable(error) ? (
        <NotAvailable what="Dead letters are" />
      ) : error ? (
        <Notice kind="error">The dead letters could not be loaded: {error.message}</Notice>
      ) : null}
      {loading && !data ? <Loading /> : null}
      {Object.entries(data?.deadLetters ?? {}).map(([queue, letters]) => (
        <section key={queue} class="queue" data-queue={queue}>
          <h2>
            {QUEUES[queue] ?? queue} <span class="muted">({count(letters.length)})</span>
          </h2>
          {letters.length === 0 ? (
            <p class="empty">None.</p>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Why it failed</th>
                    <th scope="col">Message</th>
                  </tr>
                </thead>
                <tbody>
                  {letters.map((letter) => {
                    const { what, rule, reason, eventId } = describe(letter);
                    return (
                      <tr key={letter.id}>
                        <td>{what}</td>
                        <td>{rule ? <code>{rule}</code> : ''}</td>
                        <td dir="auto">{reason}</td>
                        <td>{eventId ? <a href={`/conversation/${encodeURIComponent(eventId)}`}>Open conversation</a> : ''}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {allowed(session, 'agent') ? (
                <p>
                  <button type="button" class="primary" disabled={busy !== undefined} onClick={() => void redrive(queue)}>
                    Redrive
                  </button>{' '}
                  <span class="muted">
                    {letters.length === 1 ? 'sends it back for another try.' : `sends all ${count(letters.length)} back for another try.`}
                  </span>
                </p>
              ) : null}
            </>
          )}
        </section>
      ))}
    </section>
  );
}
