import { Annotations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Subscribed to the topic when given (the address must confirm the subscription). */
  email?: string;
  /** The topic's physical name (infra/stage-names.ts); CloudFormation's when absent. */
  topicName?: string;
}

/**
 * Where Foghorn's alarms go: one SNS topic, encrypted with its own key because CloudWatch cannot
 * publish to a topic under the AWS-managed SNS key.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly #action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const key = new Key(this, 'Key', { enableKeyRotation: true, description: 'Encrypts the Foghorn alarm topic' });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: props.topicName ? `Foghorn alarms (${props.topicName})` : 'Foghorn alarms',
      ...(props.topicName ? { topicName: props.topicName } : {}),
      masterKey: key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    // Without a subscriber every alarm fires into a topic nobody reads.
    else
      Annotations.of(this).addWarningV2(
        'foghorn:alarms:noSubscriber',
        'No one is subscribed to the alarm topic: deploy with -c alarmEmail=<address>, or subscribe to AlarmTopicArn by hand (docs/deploy.md).',
      );
    this.#action = new SnsAction(this.topic);
  }

  /** Alarms (and notifies the topic) when the metric is above `threshold` for one period; no data is fine. */
  alarmAbove(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.#action);
    alarm.addOkAction(this.#action);
    return alarm;
  }
}
