import { join } from 'node:path';
import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_CSP, CONSOLE_PAGES } from '../../console/build.js';
import type { ConsoleForDeployment } from '../console-for-deployment.js';
import type { ConsoleSignIn } from './console-auth.js';

/**
 * What the console reads from `/config.json` on AWS (locally there is none, and the page uses the runtime's own
 * sign-in): where the API is, how to sign in, and that the feed polls, as the HTTP API cannot stream.
 */
export interface ConsoleDeploymentConfig {
  runtime: 'aws';
  /** Same origin: CloudFront sends `/api/*` to the HTTP API's console routes. */
  api: '/api';
  live: 'poll';
  signIn: ConsoleSignIn;
}

/** The stack's console option: the build to serve, and the hosted sign-in's domain prefix when the default is taken. */
export interface ConsoleDeployment {
  /** infra/console-for-deployment.ts */
  build: ConsoleForDeployment;
  /** `<prefix>.auth.<region>.amazoncognito.com`; default `<stack name>-console-<account>`. */
  signInDomainPrefix?: string;
}

export interface ConsoleHostingProps {
  build: ConsoleForDeployment;
  /** The HTTP API whose console routes (under `apiPathPrefix`) CloudFront sends `/api/*` to. */
  api: HttpApi;
  /** The API's custom domain, when it has one: CloudFront reaches the API there instead of its execute-api host. */
  apiDomainName?: string;
  /** Prefixes the names of the console's resources (infra/stage-names.ts): its CloudFront function's name is account-wide. */
  namePrefix?: string;
  /** The deployment function's log group name; CloudFormation's when absent. */
  logGroupName?: string;
  apiPathPrefix: string;
  /** Origins the page may call besides its own (the hosted sign-in's token endpoint). */
  connectTo: readonly string[];
  logRetention?: RetentionDays;
  /** Encrypts the deployment function's log group, as every other log group of the stack. */
  encryptionKey?: IKey;
}

/**
 * The console's page paths (console/build.ts, as the local runtime serves them) answered with index.html, the page
 * picking the view, and `/` sent to the Feed. CloudFront runs it on each viewer request to the bucket, so no error
 * page ever masks an API answer.
 */
export const CONSOLE_PAGES_FUNCTION = `var PAGES = new RegExp(${JSON.stringify(CONSOLE_PAGES.source)}, ${JSON.stringify(CONSOLE_PAGES.flags)});
function handler(event) {
  var request = event.request;
  if (request.uri === '/') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/feed' }, 'cache-control': { value: 'no-cache' } } };
  }
  if (PAGES.test(request.uri)) request.uri = '/index.html';
  return request;
}
`;

/**
 * The ops console on AWS: the build of console/build.ts in a private bucket, served by CloudFront through origin
 * access control, with the security headers of the local runtime (the CSP also lets the page reach the hosted
 * sign-in). The page and the API share one origin: CloudFront routes `/api/*` to the HTTP API's console routes, so
 * the console calls the same paths as locally (with `Authorization: Bearer <Cognito access token>`), without CORS, and
 * its CSP names no origin but its own and the sign-in's. (A config.json naming the execute-api URL would need CORS on
 * the API and a CSP naming the API, whose CORS names the distribution back: a cycle.) Only what sign-in needs comes
 * from `/config.json`, deployed beside the page.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** The role of the deployment function: it may write to the console bucket and read its own assets, nothing else. */
  readonly deploymentRole: Role;
  /** `https://<distribution>.cloudfront.net` */
  readonly url: string;
  readonly #pages: BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // CloudFront's standard logs are written with ACLs, hence object-writer ownership on this bucket only.
    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SSE-S3: the files are the public console bundle, and OAC reads SSE-KMS objects only with a key policy for CloudFront.
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      // Rebuilt from the repository on every deploy: nothing in it is worth keeping.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Foghorn console: CSP, HSTS, no sniffing, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: withConnectSources(CONSOLE_CSP, props.connectTo), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: { customHeaders: [{ header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true }] },
    });

    const pages = new EdgeFunction(this, 'Pages', {
      ...(props.namePrefix ? { functionName: `${props.namePrefix}-${stack.region}-console-pages` } : {}),
      comment: "Answers the console's page paths with index.html",
      code: FunctionCode.fromInline(CONSOLE_PAGES_FUNCTION),
      runtime: FunctionRuntime.JS_2_0,
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: props.namePrefix ? `Foghorn ops console (${props.namePrefix})` : 'Foghorn ops console',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        functionAssociations: [{ function: pages, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: {
        // Never cached; every viewer header but Host (API Gateway answers to its own), Authorization included.
        '/api/*': {
          origin: new HttpOrigin(props.apiDomainName ?? `${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
            originPath: props.apiPathPrefix,
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.headers,
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    // One role for both deployments: it writes this bucket, reads the assets it copies, and logs to its own group.
    this.deploymentRole = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the Foghorn console build into its bucket',
    });
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      ...(props.logGroupName ? { logGroupName: props.logGroupName } : {}),
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
    });
    logGroup.grantWrite(this.deploymentRole);

    // The hashed script and styles are cached for good; the page and its config are checked on every load, so a
    // deploy shows at once without an invalidation (for which BucketDeployment would grant invalidating every
    // distribution of the account). A deleted stack removes the files first, so the bucket can go too.
    new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(join(props.build.dir, 'assets'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'assets/',
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      role: this.deploymentRole,
      logGroup,
      retainOnDelete: false,
    });
    this.#pages = new BucketDeployment(this, 'DeployPages', {
      sources: [Source.asset(props.build.dir, { exclude: ['assets', 'assets/**'] })],
      destinationBucket: this.bucket,
      // Left to the other deployment.
      exclude: ['assets/*'],
      cacheControl: [CacheControl.noCache()],
      role: this.deploymentRole,
      logGroup,
      retainOnDelete: false,
    });

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The console is for the team wherever its people are (travel, remote staff); sign-in is the boundary, not geography.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The files are a static bundle and every API call needs a Cognito token checked by API Gateway; a WAF web ACL (billed per month and per request) can be attached to the distribution where a team wants one.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses its default *.cloudfront.net certificate, whose minimum protocol CloudFront does not let anyone raise; browsers negotiate TLS 1.2 or later. A custom domain with an ACM certificate lifts it to TLSv1.2_2021.',
      },
    );
    Validations.of(this.deploymentRole).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetObject*]',
        reason: "BucketDeployment's grants: read the staged asset and the console bucket's objects (s3 sync compares them).",
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        reason: "BucketDeployment's grants: s3 sync reads the location and settings of the asset and console buckets.",
      },
      { id: 'AwsSolutions-IAM5[Action::s3:List*]', reason: "BucketDeployment's grants: s3 sync lists the asset and the console bucket." },
      {
        id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        reason: 'Pruning: s3 sync deletes the console files an earlier build left, in the console bucket only.',
      },
      { id: 'AwsSolutions-IAM5[Action::s3:Abort*]', reason: 'An interrupted multipart upload into the console bucket is aborted.' },
      {
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
        reason: 'Every object of the console bucket: a deploy replaces the whole console.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${assetBucketObjects(stack)}]`,
        reason: 'The staged console build lives in the CDK bootstrap bucket under a content-hashed key known only at deploy.',
      },
    );
    // CDK's one copy function for every BucketDeployment of the stack, at the stack's root.
    for (const child of stack.node.children) {
      if (child.node.id.startsWith('Custom::CDKBucketDeployment'))
        Validations.of(child).acknowledge({
          id: 'AwsSolutions-L1',
          reason: "CDK's BucketDeployment copy function: aws-cdk-lib chooses its Python runtime and moves it on with its own releases.",
        });
    }
  }

  /** `/config.json` beside the page: what the console needs to sign in on AWS. */
  deployConfig(config: ConsoleDeploymentConfig): void {
    this.#pages.addSource(Source.jsonData('config.json', config));
  }
}

/**
 * The objects of the CDK bootstrap bucket the assets are staged in, as cdk-nag writes the resource
 * (`arn:<AWS::Partition>:s3:::cdk-<qualifier>-assets-<account>-<region>/*`), for the acknowledgement to match it.
 */
function assetBucketObjects(stack: Stack): string {
  const part = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  const qualifier = (stack.synthesizer as { bootstrapQualifier?: string }).bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  return `arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${part(stack.account, 'AccountId')}-${part(stack.region, 'Region')}/*`;
}

/** The CSP with `origins` added to connect-src (created when the policy has none). */
export function withConnectSources(policy: string, origins: readonly string[]): string {
  if (origins.length === 0) return policy;
  const directives = policy.split(';').map((directive) => directive.trim());
  const index = directives.findIndex((directive) => directive.split(/\s+/)[0] === 'connect-src');
  if (index < 0) return [...directives, `connect-src 'self' ${origins.join(' ')}`].join('; ');
  directives[index] = `${directives[index]} ${origins.join(' ')}`;
  return directives.join('; ');
}
