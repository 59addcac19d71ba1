import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { Loading, Notice } from '../components/notice.js';
import { ReasonForm } from '../components/reason-form.js';
import { useApi } from '../components/use-api.js';
import { useNames } from '../components/use-names.js';
import { actionName, authorName, exactly, heldByName, platformName, when } from '../format.js';
import { allowed, useSession, whoIs } from '../session.js';
import type { Approval } from '../types.js';

export function ApprovalsPage() {
  const pending = useApi<{ approvals: Approval[] }>('/api/approvals?status=pending&limit=200', 10_000);
  const decided = useApi<{ approvals: Approval[] }>('/api/approvals?status=all&limit=50');
  const [done, setDone] = useState<string | undefined>(undefined);
  const reload = async (message: string) => {
    setDone(message);
    await Promise.all([pending.reload(), decided.reload()]);
  };
  const { names } = useNames();
  const recent = (decided.data?.approvals ?? []).filter((approval) => approval.status !== 'pending').slice(0, 20);
  return (
    <section>
      <h1>Approvals</h1>
      <p class="lede">Replies and posts Foghorn held back for a person to check. Nothing here goes out until someone approves it.</p>
      {done ? <Notice kind="ok">{done}</Notice> : null}
      {pending.error ? <Notice kind="error">The approvals could not be loaded: {pending.error.message}</Notice> : null}
      {pending.loading && !pending.data ? <Loading /> : null}
      {pending.data && pending.data.approvals.length === 0 ? <p class="empty">Nothing is waiting for approval.</p> : null}
      <div class="cards">
        {(pending.data?.approvals ?? []).map((approval) => (
          <HeldAction key={approval.id} approval={approval} onDecided={reload} />
        ))}
      </div>
      {recent.length > 0 ? (
        <>
          <h2>Recently decided</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Decided</th>
                <th scope="col">Rule</th>
                <th scope="col">Outcome</th>
                <th scope="col">By</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((approval) => (
                <tr key={approval.id}>
                  <td>
                    <time dateTime={approval.decidedAt} title={exactly(approval.decidedAt)}>
                      {when(approval.decidedAt)}
                    </time>
                  </td>
                  <td>
                    <code>{approval.command?.ruleId ?? '—'}</code>
                  </td>
                  <td>{OUTCOME[approval.status]}</td>
                  <td>{approval.decidedBy ? <bdi>{names.who(approval.decidedBy)}</bdi> : '—'}</td>
                  <td dir="auto">{approval.decisionNote ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

const OUTCOME: Record<Approval['status'], string> = {
  pending: 'Waiting',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired (nobody decided in time)',
};

function HeldAction(props: { approval: Approval; onDecided(message: string): Promise<void> }) {
  const { approval } = props;
  const session = useSession();
  const [step, setStep] = useState<'choose' | 'edit' | 'reject'>('choose');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const command = approval.command;
  const text = typeof command?.params.text === 'string' ? command.params.text : undefined;
  const event = command?.event;
  const decide = async (path: 'approve' | 'reject', body: Record<string, string>, message: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/api/approvals/${encodeURIComponent(approval.id)}/${path}`, { who: whoIs(session), ...body });
      await props.onDecided(message);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
      setBusy(false);
    }
  };
  return (
    <article class="card" data-approval-id={approval.id}>
      <h2>
        {command ? actionName(command.type) : 'Held action'}
        {event ? (
          <>
            {' '}
            to <span dir="auto">{authorName(event.author)}</span> on {platformName(event.platform)}
          </>
        ) : null}
      </h2>
      <dl>
        <dt>Rule</dt>
        <dd>
          <code>{command?.ruleId ?? '—'}</code>
        </dd>
        <dt>Why it was held</dt>
        <dd>
          <span dir="auto">{approval.reason}</span> <span class="muted">({heldByName(approval.heldBy)})</span>
        </dd>
        <dt>Held</dt>
        <dd>
          {when(approval.createdAt)}; expires {when(approval.expiresAt)}
        </dd>
        {event ? (
          <>
            <dt>Their message</dt>
            <dd>
              <p class="message-text" dir="auto" lang={event.lang}>
                {event.text}
              </p>
              <a href={`/conversation/${encodeURIComponent(event.id)}`}>Open conversation</a>
            </dd>
          </>
        ) : null}
        <dt>Exact text that would go out</dt>
        <dd>
          {text !== undefined ? (
            <blockquote class="outgoing" dir="auto">
              {text}
            </blockquote>
          ) : (
            <span class="muted">This action sends no text.</span>
          )}
        </dd>
      </dl>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {!allowed(session, 'agent') ? (
        <p class="muted">Only agents, leads and admins can decide. You can read this.</p>
      ) : step === 'choose' ? (
        <div class="buttons">
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() =>
              void decide('approve', {}, `Approved. The ${command ? actionName(command.type).toLowerCase() : 'action'} is on its way.`)
            }
          >
            Approve
          </button>
          {text !== undefined ? (
            <button type="button" disabled={busy} onClick={() => setStep('edit')}>
              Edit and approve
            </button>
          ) : null}
          <button type="button" class="danger" disabled={busy} onClick={() => setStep('reject')}>
            Reject
          </button>
        </div>
      ) : step === 'edit' ? (
        <ReasonForm
          label="The text to send instead"
          hint="This exact text goes out once you approve it."
          initial={text ?? ''}
          confirm="Approve this text"
          busy={busy}
          onConfirm={(edited) => void decide('approve', { text: edited }, 'Approved with your text. It is on its way.')}
          onCancel={() => setStep('choose')}
        />
      ) : (
        <ReasonForm
          label="Why must this not go out?"
          hint="The reason is kept in the audit log."
          confirm="Reject with this reason"
          busy={busy}
          onConfirm={(reason) => void decide('reject', { reason }, 'Rejected. Nothing was sent.')}
          onCancel={() => setStep('choose')}
        />
      )}
      {approval.heldBy === 'outcome' ? (
        <p class="hint">Approving sends it again: check on {event ? platformName(event.platform) : 'the platform'} first.</p>
      ) : null}
    </article>
  );
}
