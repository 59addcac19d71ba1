import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QueueWithDeadLetters } from './queue-with-dead-letters.js';

/**
 * Where a failed run of a scheduled function (sweep, poll) is recorded. The schedule invokes them
 * asynchronously: Lambda's own two retries would run a failed minute again beside the next minute's run, and
 * an invocation queued behind a throttle would run minutes late, so neither retries nor stale runs happen
 * (the next run goes on from the stores' cursors). The failure is kept here, encrypted, for the alarm and a person
 * (a record read ten times without being deleted moves to the dead-letter queue beside it, as for every queue).
 */
export interface ScheduledFailuresProps {
  /** Physical names (infra/stage-names.ts). */
  queueName: string;
  deadLettersName: string;
}

export class ScheduledFailures extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: ScheduledFailuresProps) {
    super(scope, id);
    this.queue = new QueueWithDeadLetters(this, 'Records', {
      visibilityTimeout: Duration.seconds(30),
      maxReceiveCount: 10,
      queueName: props.queueName,
      deadLettersName: props.deadLettersName,
    }).queue;
  }

  /** No retry, no run older than one period (the next run supersedes it), and the failure recorded here. */
  watch(fn: IFunction, every: Duration): void {
    fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.seconds(Math.max(60, every.toSeconds())),
      onFailure: new SqsDestination(this.queue),
    });
  }
}
