import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { query } from '../api.js';
import { Loading, Notice } from '../components/notice.js';
import { useApi } from '../components/use-api.js';
import { useNames } from '../components/use-names.js';
import { count, duration, exactly, languageName, platformName, when } from '../format.js';
import type { Names } from '../names.js';

/** The answer of GET /api/analytics (functions/analytics/report.ts). */
interface Figures {
  inbound: number;
  firstResponse: {
    count: number;
    p50Seconds: number | null;
    p90Seconds: number | null;
    exact: boolean;
    withinTarget: number;
    shareWithinTarget: number | null;
    automated: number;
    human: number;
  };
  answers: { automated: number; human: number };
  slaBreaches: number;
}

interface Group extends Figures {
  key: string;
  platform?: string;
  channel?: string;
  lang?: string;
  team?: string;
  person?: string;
}

interface Report {
  from: string;
  to: string;
  by: GroupBy;
  responseTarget: { text: string; seconds: number };
  totals: Figures;
  groups: Group[];
  inboundByHour: Array<{ hour: string; inbound: number; spike: boolean }>;
  spikes: Array<{ incident: string; ruleId: string; startedAt: string; endedAt: string | null }>;
  topRules: Array<{ ruleId: string; hits: number }>;
}

type GroupBy = 'platform' | 'channel' | 'lang' | 'team' | 'person';

const RANGES = [
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
  { value: '30d', label: '30 d' },
] as const;
type Range = (typeof RANGES)[number]['value'];

const GROUPINGS: Array<{ value: GroupBy; label: string; heading: string }> = [
  { value: 'platform', label: 'Platform', heading: 'Platform' },
  { value: 'channel', label: 'Channel', heading: 'Channel' },
  { value: 'lang', label: 'Language', heading: 'Language' },
  { value: 'team', label: 'Team', heading: 'Team' },
  { value: 'person', label: 'Person', heading: 'Person' },
];

/** The group of what no owner is known for (functions/analytics/report.ts UNASSIGNED). */
const UNASSIGNED = '(unassigned)';

/** By team and by person, only first responses are split: they count for whoever owned the conversation when answered. */
const byOwner = (by: GroupBy) => by === 'team' || by === 'person';

const SPIKE_FILL = 'rgba(161, 38, 43, 0.14)';
const ACCENT = '#2f5d8a';
const HUMAN = '#1f6f43';

export function AnalyticsPage() {
  const [range, setRange] = useState<Range>('24h');
  const [by, setBy] = useState<GroupBy>('platform');
  const { data, error, loading } = useApi<Report>(`/api/analytics${query({ from: range, by })}`, 60_000);
  const empty = data !== undefined && data.totals.inbound === 0 && data.totals.firstResponse.count === 0 && data.topRules.length === 0;
  return (
    <section>
      <h1>Analytics</h1>
      <p class="lede">How fast the team answers, and how much of it is on time.</p>
      <div class="filters" data-controls="analytics">
        <fieldset class="buttons" style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend class="small muted">Time range</legend>
          {RANGES.map((option) => (
            <button
              key={option.value}
              type="button"
              data-range={option.value}
              aria-pressed={range === option.value}
              class={range === option.value ? 'primary' : ''}
              onClick={() => setRange(option.value)}
            >
              {option.label}
            </button>
          ))}
        </fieldset>
        <label>
          Group by
          <select name="by" value={by} onChange={(event) => setBy((event.currentTarget as HTMLSelectElement).value as GroupBy)}>
            {GROUPINGS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {loading && !data && !error ? <Loading /> : null}
      {error?.status === 404 ? (
        <p class="empty" data-state="no-figures">
          No figures: this Foghorn does not record response times.
        </p>
      ) : error ? (
        <Notice kind="error">The figures could not be loaded: {error.message}</Notice>
      ) : null}
      {empty ? (
        <p class="empty" data-state="no-figures">
          No figures yet for this time range: nothing came in between {when(data?.from)} and {when(data?.to)}.
        </p>
      ) : null}
      {data && !empty ? <FiguresView report={data} /> : null}
    </section>
  );
}

function FiguresView({ report }: { report: Report }) {
  const { totals } = report;
  const first = totals.firstResponse;
  const heading = GROUPINGS.find((option) => option.value === report.by)?.heading ?? 'Group';
  const owners = byOwner(report.by);
  const { names } = useNames();
  // By owner, a group without a first response (the messages nobody has answered yet) says nothing about anyone.
  const groups = owners ? report.groups.filter((group) => group.firstResponse.count > 0) : report.groups;
  return (
    <div data-state="figures" data-from={report.from} data-to={report.to}>
      <p class="muted small">
        From <time dateTime={report.from}>{exactly(report.from)}</time> to <time dateTime={report.to}>{exactly(report.to)}</time>. Target: a
        first response within <strong data-figure="target">{duration(report.responseTarget.seconds * 1000)}</strong>.
      </p>
      <dl class="inline" data-summary="analytics">
        <dt>Messages in</dt>
        <dd data-figure="inbound">{count(totals.inbound)}</dd>
        <dt>First response, median (p50)</dt>
        <dd data-figure="p50" data-seconds={first.p50Seconds ?? ''}>
          {seconds(first.p50Seconds)}
          {first.exact ? null : <span class="muted small"> (about)</span>}
        </dd>
        <dt>First response, 9 in 10 within (p90)</dt>
        <dd data-figure="p90" data-seconds={first.p90Seconds ?? ''}>
          {seconds(first.p90Seconds)}
        </dd>
        <dt>Answered within the target</dt>
        <dd data-figure="within-target" data-share={first.shareWithinTarget ?? ''}>
          {share(first.shareWithinTarget)}
          <span class="muted small">
            {' '}
            ({count(first.withinTarget)} of {count(first.count)} first responses)
          </span>
        </dd>
        <dt>Answers by Foghorn / by people</dt>
        <dd data-figure="answers">
          <span data-figure="automated">{count(totals.answers.automated)}</span> /{' '}
          <span data-figure="human">{count(totals.answers.human)}</span>
        </dd>
        <dt>Waited too long (SLA breaches)</dt>
        <dd data-figure="sla-breaches">{count(totals.slaBreaches)}</dd>
      </dl>
      {first.exact ? null : (
        <p class="muted small">
          Some hours had more than 2,000 first responses on one channel: their percentiles are read from a histogram, within 5 %.
        </p>
      )}

      <h2>Messages in, by hour</h2>
      <InboundChart report={report} />

      <h2>First response by {heading.toLowerCase()}</h2>
      {owners ? (
        <p class="muted small" data-note="owners">
          Each first response counts for whoever the conversation was assigned to when it was answered. Messages in, later answers and SLA
          breaches are not split by {heading.toLowerCase()}: they are in the totals above. “By Foghorn” and “By people” here say who gave
          those first responses.
        </p>
      ) : null}
      <ResponseBars groups={report.groups} by={report.by} heading={heading} names={names} />
      <table data-table="groups">
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            {owners ? null : <NumberColumn>Messages in</NumberColumn>}
            <NumberColumn>First responses</NumberColumn>
            <NumberColumn>p50</NumberColumn>
            <NumberColumn>p90</NumberColumn>
            <NumberColumn>Within target</NumberColumn>
            <NumberColumn>By Foghorn</NumberColumn>
            <NumberColumn>By people</NumberColumn>
            {owners ? null : <NumberColumn>SLA breaches</NumberColumn>}
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.key} data-group={group.key}>
              <th scope="row">
                <bdi>{groupName(group, report.by, names)}</bdi>
              </th>
              {owners ? null : <td class="number">{count(group.inbound)}</td>}
              <td class="number" data-figure="first-responses">
                {count(group.firstResponse.count)}
              </td>
              <td class="number" data-figure="p50" data-seconds={group.firstResponse.p50Seconds ?? ''}>
                {seconds(group.firstResponse.p50Seconds)}
              </td>
              <td class="number" data-figure="p90" data-seconds={group.firstResponse.p90Seconds ?? ''}>
                {seconds(group.firstResponse.p90Seconds)}
              </td>
              <td class="number" data-figure="within-target">
                {share(group.firstResponse.shareWithinTarget)}
              </td>
              {/* By owner, who gave the first responses; otherwise every answer. */}
              <td class="number">{count(owners ? group.firstResponse.automated : group.answers.automated)}</td>
              <td class="number">{count(owners ? group.firstResponse.human : group.answers.human)}</td>
              {owners ? null : <td class="number">{count(group.slaBreaches)}</td>}
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Answers by Foghorn and by people</h2>
      <AnswerSplit totals={totals} />

      <h2>Spike episodes</h2>
      {report.spikes.length === 0 ? (
        <p class="muted">No spike in this time range.</p>
      ) : (
        <table data-table="spikes">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
            </tr>
          </thead>
          <tbody>
            {report.spikes.map((spike) => (
              <tr key={spike.incident} data-incident={spike.incident}>
                <td>
                  <code>{spike.ruleId}</code>
                </td>
                <td>
                  <time dateTime={spike.startedAt} title={exactly(spike.startedAt)}>
                    {when(spike.startedAt)}
                  </time>
                </td>
                <td>
                  {spike.endedAt ? (
                    <time dateTime={spike.endedAt} title={exactly(spike.endedAt)}>
                      {when(spike.endedAt)}
                    </time>
                  ) : (
                    <span class="warning-text">Still going</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Top rules by hits</h2>
      <TopRules rules={report.topRules} />
    </div>
  );
}

/** Inbound by hour (uPlot), the hours of spike episodes shaded, with the numbers in a table below. */
function InboundChart({ report }: { report: Report }) {
  const target = useRef<HTMLDivElement>(null);
  const hours = report.inboundByHour;
  const long = hours.length > 48;
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    const times = hours.map((entry) => Date.parse(entry.hour) / 1000);
    const values = hours.map((entry) => entry.inbound);
    const spikes = hours.map((entry) => entry.spike);
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 220,
        legend: { show: false },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.2))] } },
        series: [{}, { label: 'Messages in', stroke: ACCENT, fill: 'rgba(47, 93, 138, 0.15)', width: 2, points: { show: !long } }],
        axes: [
          {
            stroke: '#555',
            values: (_u, splits) => splits.map((seconds) => (long ? dayOnly : clockHour).format(new Date(seconds * 1000))),
          },
          { stroke: '#555', size: 50 },
        ],
        hooks: {
          // Spike hours as bands behind the line, each the width of its hour.
          drawClear: [
            (u) => {
              const { ctx, bbox } = u;
              ctx.save();
              ctx.fillStyle = SPIKE_FILL;
              spikes.forEach((spike, index) => {
                if (!spike) return;
                const start = u.valToPos(times[index]!, 'x', true);
                const end = u.valToPos(times[index]! + 3600, 'x', true);
                ctx.fillRect(start, bbox.top, Math.max(1, end - start), bbox.height);
              });
              ctx.restore();
            },
          ],
        },
      },
      [times, values],
      element,
    );
    return () => plot.destroy();
  }, [hours, long]);
  return (
    <figure class="chart" data-chart="inbound">
      <figcaption>
        Messages in per hour{report.spikes.length > 0 ? <span class="muted small"> (shaded: a spike episode was going on)</span> : null}
      </figcaption>
      <div ref={target} class="chart-canvas" role="img" aria-label="Messages in per hour, with the hours of spike episodes shaded" />
      <details>
        <summary>The numbers behind the chart</summary>
        <table class="numbers" data-table="inbound">
          <thead>
            <tr>
              <th scope="col">Hour</th>
              <NumberColumn>Messages in</NumberColumn>
              <th scope="col">Spike</th>
            </tr>
          </thead>
          <tbody>
            {hours.map((entry) => (
              <tr key={entry.hour} data-hour={entry.hour} data-spike={entry.spike ? 'yes' : 'no'}>
                <td>
                  <time dateTime={entry.hour}>{hourLabel(Date.parse(entry.hour), long)}</time>
                </td>
                <td class="number">{count(entry.inbound)}</td>
                <td>{entry.spike ? 'Spike' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** p50 and p90 of each group as bars on one scale; the group table below has the numbers. */
function ResponseBars({ groups, by, heading, names }: { groups: Group[]; by: GroupBy; heading: string; names: Names }) {
  const answered = groups.filter((group) => group.firstResponse.count > 0);
  if (answered.length === 0) return <p class="muted">No first response in this time range.</p>;
  const longest = Math.max(...answered.map((group) => group.firstResponse.p90Seconds ?? 0), 1);
  return (
    <figure class="chart" data-chart="first-response">
      <figcaption>
        First response by {heading.toLowerCase()}: <Swatch color={ACCENT} /> median (p50), <Swatch color="#9fb6cc" /> 9 in 10 (p90)
      </figcaption>
      <table class="numbers" style={{ maxWidth: 'none', width: '100%' }}>
        <tbody>
          {answered.map((group) => (
            <tr key={group.key}>
              <th scope="row">
                <bdi>{groupName(group, by, names)}</bdi>
              </th>
              <td>
                <Bar
                  value={group.firstResponse.p50Seconds ?? 0}
                  of={longest}
                  color={ACCENT}
                  label={seconds(group.firstResponse.p50Seconds)}
                />
                <Bar
                  value={group.firstResponse.p90Seconds ?? 0}
                  of={longest}
                  color="#9fb6cc"
                  label={seconds(group.firstResponse.p90Seconds)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Who answered: every answer, and the first response of each conversation, by Foghorn and by people. */
function AnswerSplit({ totals }: { totals: Figures }) {
  const rows = [
    { name: 'Every answer', automated: totals.answers.automated, human: totals.answers.human, key: 'answers' },
    { name: 'First responses', automated: totals.firstResponse.automated, human: totals.firstResponse.human, key: 'first' },
  ];
  return (
    <figure class="chart" data-chart="answers">
      <figcaption>
        <Swatch color={ACCENT} /> by Foghorn on its own, <Swatch color={HUMAN} /> by people (written or approved by someone on the team)
      </figcaption>
      <table class="numbers" data-table="answers">
        <thead>
          <tr>
            <th scope="col" />
            <NumberColumn>By Foghorn</NumberColumn>
            <NumberColumn>By people</NumberColumn>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const all = row.automated + row.human;
            return (
              <tr key={row.key} data-answers={row.key}>
                <th scope="row">{row.name}</th>
                <td class="number" data-figure="automated">
                  {count(row.automated)}
                </td>
                <td class="number" data-figure="human">
                  {count(row.human)}
                </td>
                <td>
                  {all === 0 ? (
                    <span class="muted">None</span>
                  ) : (
                    <div
                      role="img"
                      aria-label={`${share(row.automated / all)} by Foghorn`}
                      style={{ display: 'flex', minWidth: '12rem', height: '0.9rem' }}
                    >
                      <div style={{ width: `${(row.automated / all) * 100}%`, background: ACCENT }} />
                      <div style={{ width: `${(row.human / all) * 100}%`, background: HUMAN }} />
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}

function TopRules({ rules }: { rules: Report['topRules'] }) {
  if (rules.length === 0) return <p class="muted">No rule matched in this time range.</p>;
  const most = Math.max(...rules.map((rule) => rule.hits), 1);
  return (
    <figure class="chart" data-chart="top-rules">
      <figcaption>The rules that matched most</figcaption>
      <table class="numbers" data-table="top-rules" style={{ maxWidth: '40rem', width: '100%' }}>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <NumberColumn>Hits</NumberColumn>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule.ruleId} data-rule-id={rule.ruleId}>
              <td>
                <code>{rule.ruleId}</code>
              </td>
              <td class="number">{count(rule.hits)}</td>
              <td>
                <Bar value={rule.hits} of={most} color={ACCENT} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function Bar(props: { value: number; of: number; color: string; label?: string }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: '0.4rem', minWidth: '12rem' }}>
      <div
        aria-hidden="true"
        style={{
          width: `${Math.max(1, (props.value / props.of) * 100) * 0.8}%`,
          height: '0.7rem',
          background: props.color,
          borderRadius: '2px',
        }}
      />
      {props.label ? (
        <span class="small" style={{ whiteSpace: 'nowrap' }}>
          {props.label}
        </span>
      ) : null}
    </div>
  );
}

function Swatch({ color }: { color: string }) {
  return (
    <span
      aria-hidden="true"
      style={{ display: 'inline-block', width: '0.8em', height: '0.8em', background: color, borderRadius: '2px', verticalAlign: 'middle' }}
    />
  );
}

/** The analytics channel of a platform's one-to-one conversations (functions/analytics/recorder.ts). */
const DIRECT_CHANNEL = 'direct';

function groupName(group: Group, by: GroupBy, names: Names): string {
  if (by === 'team' || by === 'person') {
    if (group.key === UNASSIGNED) return 'Not assigned to anyone';
    const id = group[by] ?? group.key;
    return by === 'person' ? names.person(id) : names.team(id);
  }
  if (by === 'lang') return group.lang === 'und' || !group.lang ? 'Not known' : languageName(group.lang);
  if (by === 'channel') {
    const channel = group.channel ?? group.key;
    // One-to-one conversations are counted together (their channel ids name customers).
    return `${platformName(group.platform ?? '')} · ${channel === DIRECT_CHANNEL ? 'Direct messages' : channel}`;
  }
  return platformName(group.platform ?? group.key);
}

function seconds(value: number | null): string {
  return value === null ? '—' : duration(value * 1000);
}

function share(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

const clockHour = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayHour = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const dayOnly = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

function hourLabel(ms: number, long: boolean): string {
  return (long ? dayHour : clockHour).format(new Date(ms));
}

/** A column heading over figures: right-aligned like the figures under it. */
function NumberColumn(props: { children: ComponentChildren }) {
  return (
    <th scope="col" class="number">
      {props.children}
    </th>
  );
}
