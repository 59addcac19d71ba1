import { existsSync } from 'node:fs';
import type { PutEventsCommand, PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BusRouteSpec, type FunctionName, type QueueName, topology } from '../../functions/app/topology.js';
import { EventBridgePublisher } from '../../functions/aws/event-bridge-publisher.js';
import { matchesPattern } from '../../functions/local/local-bus.js';
import { SCHEDULES } from '../../infra/stack.js';
import { WEBHOOK_PLATFORMS } from '../../infra/webhook-throttles.js';
import { RecordingClient } from '../aws/recorder.js';
import { mappingCalls, type Synthesised, synthesise } from './synth.js';

/**
 * The local runtime is built from functions/app/topology.ts; these tests prove the synthesised stack is too,
 * so the pipeline on AWS and on one machine cannot drift. (Bundling is skipped: this is about wiring.)
 */
let synth: Synthesised;
let resources: Record<string, { Type: string; Properties: Record<string, any> }>;

beforeAll(async () => {
  synth = await synthesise({ bundle: false });
  resources = synth.template.toJSON().Resources;
}, 120_000);

afterAll(() => synth?.dispose());

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const queueArn = (name: QueueName) => ({ 'Fn::GetAtt': [synth.logicalId(synth.stack.queues[name].queue), 'Arn'] });

describe('the stack follows functions/app/topology.ts', () => {
  it('has exactly one bus rule per bus route, with the same pattern and target queue', () => {
    const busRules = ofType('AWS::Events::Rule')
      .filter(([, rule]) => rule.Properties.EventBusName !== undefined)
      .map(([, rule]) => ({
        pattern: rule.Properties.EventPattern,
        targets: (rule.Properties.Targets as Array<{ Arn: unknown }>).map((target) => target.Arn),
      }));
    const expected = topology.busRoutes.map((route: BusRouteSpec) => ({ pattern: route.pattern, targets: [queueArn(route.targetQueue)] }));
    expect(busRules).toEqual(expected);
  });

  it('routes what the EventBridge publisher actually sends to the events queue', async () => {
    // Prepare: the entry the ingest function puts on the bus.
    const client = new RecordingClient<PutEventsCommand, PutEventsCommandOutput>(() => ({
      FailedEntryCount: 0,
      Entries: [{ EventId: '1' }],
      $metadata: {},
    }));
    await new EventBridgePublisher({ busName: topology.busName, client }).publish([
      {
        id: 'generic:1',
        platform: 'generic',
        kind: 'message',
        text: 'hi',
        author: { id: 'a' },
        channel: { id: 'c' },
        thread: {},
        createdAt: '2026-11-22T00:00:00Z',
        receivedAt: '2026-11-22T00:00:00Z',
      },
    ]);
    const entry = client.inputs[0]?.Entries?.[0];
    // Act: match it against the synthesised patterns.
    const matched = ofType('AWS::Events::Rule')
      .filter(
        ([, rule]) =>
          rule.Properties.EventPattern &&
          matchesPattern(rule.Properties.EventPattern, { source: entry?.Source ?? '', detailType: entry?.DetailType ?? '' }),
      )
      .map(([, rule]) => rule.Properties.Targets[0].Arn);
    // Assess
    expect(entry?.EventBusName).toBe(topology.busName);
    expect(matched).toEqual([queueArn('events')]);
  });

  it("feeds each queue to its consumer in batches of the topology's size, reporting failures per message", () => {
    // The table stream's mapping (the analytics function's) is test/infra/analytics-stream.test.ts's.
    const mappings = ofType('AWS::Lambda::EventSourceMapping')
      .map(([, mapping]) => mapping.Properties)
      .filter((mapping) => !JSON.stringify(mapping.EventSourceArn).includes('StreamArn'));
    expect(mappings).toHaveLength(Object.keys(topology.queues).length);
    for (const [name, spec] of Object.entries(topology.queues) as Array<[QueueName, (typeof topology.queues)[QueueName]]>) {
      const mapping = mappings.find((m) => JSON.stringify(m.EventSourceArn) === JSON.stringify(queueArn(name)));
      expect(mapping, `mapping for queue ${name}`).toBeDefined();
      // A consumer released by canary is called through its live alias, so a new version takes its share of batches.
      const release = synth.stack.releases[spec.consumer];
      const target = release ? synth.logicalId(release.alias) : synth.logicalId(synth.stack.functions[spec.consumer]!);
      expect(mappingCalls(mapping?.FunctionName, target), `${name} → ${target}`).toBe(true);
      expect(mapping?.BatchSize).toBe(spec.batchSize);
      expect(mapping?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it("gives each queue the topology's visibility timeout and receive count, long enough for its consumer", () => {
    for (const [name, spec] of Object.entries(topology.queues) as Array<[QueueName, (typeof topology.queues)[QueueName]]>) {
      const queue = resources[synth.logicalId(synth.stack.queues[name].queue)]?.Properties;
      expect(queue?.VisibilityTimeout).toBe(spec.visibilityTimeoutSeconds);
      expect(queue?.RedrivePolicy.maxReceiveCount).toBe(spec.maxReceiveCount);
      // AWS advises at least six times the function timeout, so a retried batch is not delivered twice at once.
      expect(spec.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * topology.functions[spec.consumer].timeoutSeconds);
    }
  });

  it("serves exactly the topology's HTTP routes, each on its function (through its live alias when released by canary), a webhook route per platform", () => {
    // An integration calls a function (Fn::GetAtt …Arn) or its alias (Ref).
    const integrations = Object.fromEntries(
      ofType('AWS::ApiGatewayV2::Integration').map(([id, integration]) => {
        const uri = integration.Properties.IntegrationUri as { 'Fn::GetAtt'?: [string, string]; Ref?: string };
        return [id, uri.Ref ?? uri['Fn::GetAtt']?.[0]];
      }),
    );
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => {
      const integrationId = String(route.Properties.Target['Fn::Join'][1][1].Ref);
      return `${route.Properties.RouteKey} → ${integrations[integrationId]}`;
    });
    const invoked = (name: FunctionName) => {
      const release = synth.stack.releases[name];
      return release ? synth.logicalId(release.alias) : synth.logicalId(synth.stack.functions[name]!);
    };
    const expected = topology.http.flatMap((route) =>
      (route.path.includes('{platform}')
        ? WEBHOOK_PLATFORMS.map((platform) => route.path.replace('{platform}', platform))
        : [route.path]
      ).map((path) => `${route.method} ${path} → ${invoked(route.function)}`),
    );
    expect(routes.sort()).toEqual(expected.sort());
  });

  it("builds every topology function whose handler exists, and no other, with the topology's sizes", () => {
    const present = Object.entries(topology.functions)
      .filter(([, spec]) => existsSync(spec.entry))
      .map(([name]) => name);
    expect(Object.keys(synth.stack.functions).sort()).toEqual(present.sort());
    for (const name of present) {
      const spec = topology.functions[name as keyof typeof topology.functions];
      const fn = resources[synth.logicalId(synth.stack.functions[name]!)]?.Properties;
      expect({ timeout: fn?.Timeout, memory: fn?.MemorySize, description: fn?.Description }).toEqual({
        timeout: spec.timeoutSeconds,
        memory: spec.memoryMb,
        description: spec.description,
      });
    }
  });

  it('schedules the clock-driven functions that exist (poll, sweep), and only those', () => {
    const scheduled = ofType('AWS::Events::Rule')
      .filter(([, rule]) => rule.Properties.ScheduleExpression)
      .map(([, rule]) => ({ every: rule.Properties.ScheduleExpression, target: rule.Properties.Targets[0].Arn }));
    const expected = Object.entries(SCHEDULES)
      .filter(([name]) => synth.stack.functions[name])
      .map(([name, schedule]) => ({
        every: `rate(${schedule.every.toMinutes()} minute${schedule.every.toMinutes() === 1 ? '' : 's'})`,
        target: { 'Fn::GetAtt': [synth.logicalId(synth.stack.functions[name]!), 'Arn'] },
      }));
    expect(scheduled).toEqual(expected);
    for (const [name, schedule] of Object.entries(SCHEDULES))
      expect(Boolean(synth.stack.functions[name]), name).toBe(existsSync(schedule.entry));
  });
});
