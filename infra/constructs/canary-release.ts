import { Validations } from 'aws-cdk-lib';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { LambdaDeploymentConfig, LambdaDeploymentGroup } from 'aws-cdk-lib/aws-codedeploy';
import { Alias, type Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** The alias every trigger of a released function calls; CodeDeploy moves it from one version to the next. */
export const LIVE_ALIAS = 'live';

export interface CanaryReleaseProps {
  fn: LambdaFunction;
  /** Any of these in alarm during the shift stops it and moves the alias back to the version before. */
  alarms: readonly IAlarm[];
}

/**
 * A function released by canary: each deployment publishes a version, and CodeDeploy sends 10% of the calls to it
 * for five minutes before the rest (Canary10Percent5Minutes), rolling the alias back when an alarm fires, the
 * deployment fails or it is stopped. Triggers call the alias, never `$LATEST`.
 */
export class CanaryRelease extends Construct {
  readonly alias: Alias;
  readonly deploymentGroup: LambdaDeploymentGroup;

  constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id);
    this.alias = new Alias(this, 'Alias', { aliasName: LIVE_ALIAS, version: props.fn.currentVersion });
    this.deploymentGroup = new LambdaDeploymentGroup(this, 'Deployment', {
      alias: this.alias,
      deploymentConfig: LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
      alarms: [...props.alarms],
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    Validations.of(this.deploymentGroup).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
      reason:
        "CodeDeploy's own managed policy for Lambda deployments: it may only shift this account's aliases and read their alarms, and AWS keeps it current.",
    });
  }
}
