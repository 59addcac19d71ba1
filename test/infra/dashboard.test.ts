import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_METRIC_STATUSES, METRIC_NAMES } from '../../functions/app/app-metrics.js';
import { connectors } from '../../functions/platforms/index.js';
import { type Synthesised, synthesise } from './synth.js';
import { templateText } from './template-text.js';

/** The stage's CloudWatch dashboard, read back from the synthesised body. (Bundling is skipped: this is about wiring.) */
type Widget = { type: string; properties: { title?: string; metrics?: unknown[][]; markdown?: string } };

let synth: Synthesised;
let widgets: Widget[];
let dashboardName: string;

beforeAll(async () => {
  synth = await synthesise({ bundle: false });
  const dashboards = Object.values(synth.template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  dashboardName = dashboards[0]!.Properties.DashboardName;
  widgets = (JSON.parse(templateText(dashboards[0]!.Properties.DashboardBody)) as { widgets: Widget[] }).widgets;
}, 120_000);
afterAll(() => synth?.dispose());

const graph = (title: string) => {
  const found = widgets.find((widget) => widget.properties.title === title);
  expect(found, title).toBeDefined();
  return found!.properties.metrics ?? [];
};
/** A metric line as CloudWatch reads it: namespace, name, then dimension name and value pairs, then its options. */
const dimensionsOf = (line: unknown[]) => {
  const pairs = line.filter((part) => typeof part === 'string').slice(2) as string[];
  return Object.fromEntries(pairs.flatMap((part, index) => (index % 2 === 0 ? [[part, pairs[index + 1]]] : [])));
};
const expressionsOf = (lines: unknown[][]) => lines.map((line) => (line[0] as { expression?: string }).expression ?? '');

describe('the CloudWatch dashboard', () => {
  it('is named for its stage and has the widgets the team watches', () => {
    expect(dashboardName).toBe('prod-foghorn');
    expect(widgets.map((widget) => widget.properties.title).filter(Boolean)).toEqual([
      'Webhooks per platform (accepted)',
      'Webhooks refused (signature, size, unknown platform)',
      'Evaluate and act latency (per batch, ms)',
      'From decision to action (ms)',
      'Oldest message waiting (s)',
      'Actions by status',
      'Dead letters waiting',
      'Spikes',
      'SLA breaches',
      'Last 24 hours',
    ]);
  });

  it('graphs the Webhooks metric per registered platform, with the service and stage the functions emit', () => {
    for (const outcome of ['accepted', 'refused']) {
      const lines = graph(
        outcome === 'accepted' ? 'Webhooks per platform (accepted)' : 'Webhooks refused (signature, size, unknown platform)',
      );
      expect(lines.every((line) => line[0] === 'Foghorn' && line[1] === METRIC_NAMES.webhooks)).toBe(true);
      expect(lines.map(dimensionsOf)).toEqual(
        [...Object.keys(connectors), 'unknown'].map((platform) => ({ outcome, platform, service: 'foghorn', stage: 'prod' })),
      );
    }
  });

  it("graphs evaluate's and act's duration and the queues' oldest message", () => {
    const latency = graph('Evaluate and act latency (per batch, ms)');
    expect(latency.map((line) => [line[0], line[1], templateText(line[3])])).toEqual([
      ['AWS/Lambda', 'Duration', `<Ref:${synth.logicalId(synth.stack.functions.evaluate!)}>`],
      ['AWS/Lambda', 'Duration', `<Ref:${synth.logicalId(synth.stack.functions.evaluate!)}>`],
      ['AWS/Lambda', 'Duration', `<Ref:${synth.logicalId(synth.stack.functions.act!)}>`],
      ['AWS/Lambda', 'Duration', `<Ref:${synth.logicalId(synth.stack.functions.act!)}>`],
    ]);
    expect(latency.map((line) => (line[4] as { stat: string }).stat)).toEqual(['p50', 'p99', 'p50', 'p99']);
    expect(expressionsOf(graph('From decision to action (ms)'))).toEqual([
      `SEARCH('{Foghorn,service,stage,type} MetricName="${METRIC_NAMES.actionDelay}" service="foghorn" stage="prod"', 'p50', 300)`,
      `SEARCH('{Foghorn,service,stage,type} MetricName="${METRIC_NAMES.actionDelay}" service="foghorn" stage="prod"', 'p99', 300)`,
    ]);
    expect(graph('Oldest message waiting (s)').map((line) => [line[0], line[1]])).toEqual([
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage'],
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage'],
    ]);
  });

  it('sums the Actions metric over action types for each status', () => {
    expect(expressionsOf(graph('Actions by status'))).toEqual(
      ACTION_METRIC_STATUSES.map(
        (status) =>
          `SUM(SEARCH('{Foghorn,service,stage,status,type} MetricName="${METRIC_NAMES.actions}" service="foghorn" stage="prod" status="${status}"', 'Sum', 300))`,
      ),
    );
  });

  it('graphs the dead letters of both queues, the spikes and the SLA breaches', () => {
    const deadLetters = graph('Dead letters waiting');
    expect(deadLetters.map((line) => [line[0], line[1], templateText(line[3])])).toEqual(
      Object.values(synth.stack.queues).map(({ deadLetters: queue }) => [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        `<${synth.logicalId(queue)}.QueueName>`,
      ]),
    );
    expect(graph('Spikes').map((line) => [line[1], dimensionsOf(line)])).toEqual([
      [METRIC_NAMES.spikesOpened, { service: 'foghorn', stage: 'prod' }],
      [METRIC_NAMES.spikesEnded, { service: 'foghorn', stage: 'prod' }],
    ]);
    expect(graph('SLA breaches').map((line) => line[1])).toEqual([METRIC_NAMES.slaBreaches]);
  });
});
