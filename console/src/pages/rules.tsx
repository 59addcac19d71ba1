import { Loading, Notice } from '../components/notice.js';
import { isUnavailable, NotAvailable } from '../components/unavailable.js';
import { useApi } from '../components/use-api.js';
import { ago, count, exactly, when } from '../format.js';
import type { ReloadStatus, RuleSummary } from '../types.js';

interface RulesAnswer {
  rules: RuleSummary[];
  reload: ReloadStatus;
  counted: { since: string; events: number; complete: boolean };
}

const BREAKER: Record<RuleSummary['breaker'], string> = {
  none: 'No ceiling',
  closed: 'Normal',
  open: 'Paused: too many in a minute',
};

export function RulesPage() {
  const { data, error, loading } = useApi<RulesAnswer>('/api/rules', 30_000);
  return (
    <section>
      <h1>Rules</h1>
      <p class="lede">The rules in use, and what each did in the last 24 hours.</p>
      {isUnavailable(error) ? (
        <NotAvailable what="Rule figures are" />
      ) : error ? (
        <Notice kind="error">The rules could not be loaded: {error.message}</Notice>
      ) : null}
      {loading && !data ? <Loading /> : null}
      {data?.reload.status === 'rejected' ? (
        <Notice kind="error">
          <strong>The latest change to the rules was refused</strong> ({when(data.reload.at)}), so the previous rules are still in use.
          <br />
          The first problem{data.reload.problems > 1 ? ` of ${data.reload.problems}` : ''}:{' '}
          <code class="reload-error">{data.reload.error}</code>
        </Notice>
      ) : data ? (
        <p class="muted">Rules last loaded {ago(data.reload.at)}.</p>
      ) : null}
      {data ? (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">What it does</th>
                <th scope="col" class="number">
                  Hits (24 h)
                </th>
                <th scope="col">Last fired</th>
                <th scope="col" class="number">
                  Held back by limits (24 h)
                </th>
                <th scope="col">Circuit breaker</th>
              </tr>
            </thead>
            <tbody>
              {data.rules.map((rule) => (
                <tr key={rule.id} data-rule-id={rule.id}>
                  <td>
                    <code>{rule.id}</code>
                    {!rule.enabled ? <span class="badge">turned off</span> : null}
                    <br />
                    <span class="muted small">{rule.file.split(/[\\/]/).slice(-2).join('/')}</span>
                  </td>
                  <td dir="auto">{rule.description ?? <span class="muted">No description</span>}</td>
                  <td class="number">{count(rule.hits24h)}</td>
                  <td>
                    {rule.lastFired ? (
                      <time dateTime={rule.lastFired} title={exactly(rule.lastFired)}>
                        {when(rule.lastFired)}
                      </time>
                    ) : (
                      <span class="muted">Never</span>
                    )}
                  </td>
                  <td class="number">{count(rule.heldBack24h)}</td>
                  <td class={rule.breaker === 'open' ? 'warning-text' : ''}>
                    {BREAKER[rule.breaker]}
                    {rule.perMinute !== undefined ? <span class="muted small"> (ceiling {count(rule.perMinute)} a minute)</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted small">
            Counted over {count(data.counted.events)} messages received since {when(data.counted.since)}
            {data.counted.complete ? '.' : ' (the most recent ones only).'}
          </p>
        </>
      ) : null}
    </section>
  );
}
