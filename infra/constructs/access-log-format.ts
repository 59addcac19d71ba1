import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

/**
 * The HTTP API's access log line, one JSON object per request: which route answered (`routeKey`), with what, and,
 * when the integration failed, why (the Lambda's own error, its status, and API Gateway's message). A 5xx with
 * `integrationError` set is the function's; one without it is API Gateway's (a throttle, a timeout).
 * Variables: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  apiId: '$context.apiId',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
  integrationStatus: '$context.integration.integrationStatus',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integration.error',
  integrationErrorMessage: '$context.integrationErrorMessage',
  integrationRequestId: '$context.integration.requestId',
};

export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS));
