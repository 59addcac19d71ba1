import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface QueueWithDeadLettersProps {
  visibilityTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** Physical names (infra/stage-names.ts); CloudFormation's when absent. */
  queueName?: string;
  deadLettersName?: string;
}

/**
 * A standard queue and its dead-letter queue, both encrypted (SSE-SQS, which EventBridge can deliver
 * to without a key policy) and refusing requests that are not TLS.
 */
export class QueueWithDeadLetters extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: QueueWithDeadLettersProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      ...(props.deadLettersName ? { queueName: props.deadLettersName } : {}),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: a human has two weeks to inspect and redrive.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      ...(props.queueName ? { queueName: props.queueName } : {}),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
