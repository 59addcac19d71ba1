/**
 * On-demand prices in US East (N. Virginia), us-east-1, as the pricing pages list them (read December 2026;
 * free tiers left out). The capacity model's cost per million events is these times what it counted.
 */
export const REGION = 'us-east-1';

export const PRICES = {
  /** https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the November 2024 reduction) */
  dynamoDbPerMillionWru: 0.625,
  /** https://aws.amazon.com/dynamodb/pricing/on-demand/ */
  dynamoDbPerMillionRru: 0.125,
  /** https://aws.amazon.com/lambda/pricing/ : requests, either architecture */
  lambdaPerMillionRequests: 0.2,
  /** https://aws.amazon.com/lambda/pricing/ : Arm (the stack's architecture), first 7.5 billion GB-seconds a month */
  lambdaArmPerGbSecond: 0.0000133334,
  /** https://aws.amazon.com/api-gateway/pricing/ : HTTP APIs, first 300 million requests a month (512 KB each) */
  httpApiPerMillionRequests: 1.0,
  /** https://aws.amazon.com/eventbridge/pricing/ : custom events put on a bus, per 64 KB chunk */
  eventBridgePerMillionEvents: 1.0,
  /** https://aws.amazon.com/sqs/pricing/ : standard queues, per 64 KB chunk of a request */
  sqsPerMillionRequests: 0.4,
} as const;

/** Lambda bills duration in 1 ms steps, each invocation at least 1 ms: https://aws.amazon.com/lambda/pricing/ */
export const LAMBDA_BILLING_STEP_MS = 1;
