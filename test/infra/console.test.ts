import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../console/build.js';
import { topology } from '../../functions/app/topology.js';
import { CONSOLE_API_PREFIX } from '../../functions/entries/lambda/console-access.js';
import { type ConsoleForDeployment, consoleForDeployment } from '../../infra/console-for-deployment.js';
import { CONSOLE_PAGES_FUNCTION } from '../../infra/constructs/console-hosting.js';
import { AwsSolutionsChecks } from '../../infra/constructs/nag.js';
import { type Synthesised, statementsOf, synthesise } from './synth.js';

/**
 * The console on AWS: its files in a private bucket behind CloudFront (origin access control), the security headers,
 * the Cognito pool with one group per role, and its copy of the API behind the JWT authorizer while machines keep IAM.
 * (Bundling is skipped: this is about wiring. infra/app.ts, which `cdk synth` runs, includes the console; app.test.ts
 * runs it through cdk-nag too.)
 */
type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; DependsOn?: string[] };

let build: ConsoleForDeployment;
let synth: Synthesised;
let resources: Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const only = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  build = await consoleForDeployment();
  synth = await synthesise({ bundle: false, props: { console: { build } } });
  resources = synth.template.toJSON().Resources;
}, 120_000);
afterAll(() => synth?.dispose());

const consoleOf = () => synth.stack.console!;
const bucketId = () => synth.logicalId(consoleOf().hosting.bucket);
const distributionId = () => synth.logicalId(consoleOf().hosting.distribution);
const SIGN_IN = 'https://prod-foghorn-console-123456789012.auth.us-east-1.amazoncognito.com';

describe('the console build for deployment', () => {
  it('is the build the local runtime serves: index.html at the root, the hashed script and styles under assets/', () => {
    const paths = build.files.map((file) => file.path);
    for (const path of paths) expect(path === 'index.html' || path.startsWith('assets/'), path).toBe(true);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^assets\/console-[A-Z0-9]+\.css$/),
        expect.stringMatching(/^assets\/console-[A-Z0-9]+\.js$/),
        'index.html',
      ]),
    );
    for (const { path } of build.files) expect(existsSync(join(build.dir, path)), path).toBe(true);
    const script = build.files.find((file) => file.path.endsWith('.js'))!.path;
    expect(readFileSync(join(build.dir, 'index.html'), 'utf8')).toContain(`src="/${script}"`);
  });
});

describe('console hosting', () => {
  it('keeps the files in a bucket that blocks public access, requires TLS, is encrypted and logs its access', () => {
    const bucket = resources[bucketId()]!.Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: synth.logicalId(consoleOf().hosting.logBucket) },
      LogFilePrefix: 's3/',
    });
    expect(bucket.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  });

  it('lets only this distribution read the files (origin access control), and nobody over plain HTTP', () => {
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, resource]) => resource.Properties.Bucket.Ref === bucketId())!;
    const statements = policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>;
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: distributionId() },
                ],
              ],
            },
          },
        },
      },
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const [oacId, oac] = only('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const origins = resources[distributionId()]!.Properties.DistributionConfig.Origins as Array<Record<string, any>>;
    const s3 = origins.find((origin) => JSON.stringify(origin.DomainName).includes(bucketId()))!;
    expect(s3.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(s3.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it('serves index.html at the root, the pages through a viewer-request function, and /api/* from the HTTP API, uncached', () => {
    const config = resources[distributionId()]!.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      FunctionAssociations: [
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [only('AWS::CloudFront::Function')[0], 'FunctionARN'] } },
      ],
    });
    // No error-page fallback: it would turn the API's 401 and 403 into index.html.
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(config.CacheBehaviors).toHaveLength(1);
    const api = config.CacheBehaviors[0];
    expect(api).toMatchObject({
      PathPattern: '/api/*',
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    });
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST']));
    const apiOrigin = (config.Origins as Array<Record<string, any>>).find((origin) => origin.Id === api.TargetOriginId)!;
    expect(apiOrigin).toMatchObject({
      OriginPath: CONSOLE_API_PREFIX,
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      DomainName: { 'Fn::Join': ['', [{ Ref: synth.logicalId(synth.stack.api) }, '.execute-api.us-east-1.', { Ref: 'AWS::URLSuffix' }]] },
    });
    expect(config.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [synth.logicalId(consoleOf().hosting.logBucket), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    expect(synth.template.toJSON().Outputs.ConsoleUrl.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]],
    });
  });

  it("answers every page path of the plan with index.html and sends / to the Feed, leaving files alone (CloudFront's function, run here)", () => {
    const [, fn] = only('AWS::CloudFront::Function');
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.Properties.FunctionCode).toBe(CONSOLE_PAGES_FUNCTION);
    const run = (uri: string) =>
      runInNewContext(`${CONSOLE_PAGES_FUNCTION}\nhandler({ request: { method: 'GET', uri: ${JSON.stringify(uri)}, headers: {} } });`) as {
        uri?: string;
        statusCode?: number;
        headers?: Record<string, { value: string }>;
      };
    const pages = [
      '/feed',
      '/conversation/x:123',
      '/approvals',
      '/crisis',
      '/rules',
      '/analytics',
      '/audit',
      '/dead-letters',
      '/login',
      '/feed/',
    ];
    for (const page of pages) expect(run(page).uri, page).toBe('/index.html');
    expect(run('/')).toMatchObject({ statusCode: 302, headers: { location: { value: '/feed' } } });
    for (const file of ['/config.json', '/index.html', `/${build.files.find((f) => f.path.endsWith('.js'))!.path}`, '/nowhere', '/feed/x'])
      expect(run(file).uri, file).toBe(file);
  });

  it('sends the CSP of the local runtime (plus the hosted sign-in for the token call), HSTS, nosniff and frame denial on every answer', () => {
    const [headersId, headers] = only('AWS::CloudFront::ResponseHeadersPolicy');
    const security = headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: CONSOLE_CSP.replace("connect-src 'self'", `connect-src 'self' ${SIGN_IN}`),
      Override: true,
    });
    expect(security.ContentSecurityPolicy.ContentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.StrictTransportSecurity.Override).toBe(true);
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    const config = resources[distributionId()]!.Properties.DistributionConfig;
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors])
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: headersId });
  });

  it('deploys the hashed assets cached for good, and the page with config.json checked on every load', () => {
    const deployments = ofType('Custom::CDKBucketDeployment').map(([, resource]) => resource.Properties);
    expect(deployments).toHaveLength(2);
    for (const deployment of deployments) expect(deployment.DestinationBucketName).toEqual({ Ref: bucketId() });
    const assets = deployments.find((deployment) => deployment.DestinationBucketKeyPrefix === 'assets/')!;
    const pages = deployments.find((deployment) => deployment.DestinationBucketKeyPrefix === undefined)!;
    expect(assets.SystemMetadata).toEqual({ 'cache-control': 'public, max-age=31536000, immutable' });
    expect(pages.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    expect(pages.Exclude).toEqual(['assets/*']);

    const staged = (key: string) => join(synth.outdir, `asset.${key.replace(/\.zip$/, '')}`);
    expect(readdirSync(staged(assets.SourceObjectKeys[0])).sort()).toEqual(
      build.files
        .filter((file) => file.path.startsWith('assets/'))
        .map((file) => file.path.slice('assets/'.length))
        .sort(),
    );
    const [page, config] = pages.SourceObjectKeys.map(staged) as [string, string];
    expect(readdirSync(page)).toEqual(['index.html']);
    const markers = pages.SourceMarkers[1] as Record<string, unknown>;
    const resolved = readFileSync(join(config, 'config.json'), 'utf8').replace(/<<marker:0xbaba:\d+>>/g, (marker) =>
      JSON.stringify(markers[marker]).replace(/"/g, "'"),
    );
    const auth = consoleOf().auth;
    expect(JSON.parse(resolved)).toEqual({
      runtime: 'aws',
      api: '/api',
      live: 'poll',
      signIn: {
        kind: 'cognito',
        region: 'us-east-1',
        userPoolId: `{'Ref':'${synth.logicalId(auth.userPool)}'}`,
        clientId: `{'Ref':'${synth.logicalId(auth.client)}'}`,
        domain: SIGN_IN,
        redirectUri: `https://{'Fn::GetAtt':['${distributionId()}','DomainName']}/login`,
        logoutUri: `https://{'Fn::GetAtt':['${distributionId()}','DomainName']}/login`,
        scopes: ['openid', 'email'],
      },
    });
  });

  it('gives the deployment role its own log group, the console bucket and the staged assets, and nothing else', () => {
    const roleId = synth.logicalId(consoleOf().hosting.deploymentRole);
    const deployer = ofType('AWS::Lambda::Function').filter(([, fn]) => fn.Properties.Role?.['Fn::GetAtt']?.[0] === roleId);
    expect(deployer).toHaveLength(1);
    const statements = statementsOf(synth.template, roleId);
    const bucketArn = { 'Fn::GetAtt': [bucketId(), 'Arn'] };
    const objects = { 'Fn::Join': ['', [bucketArn, '/*']] };
    const assetBucket = (suffix: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::cdk-hnb659fds-assets-123456789012-us-east-1${suffix}`]],
    });
    const kinds = statements.map((statement) => {
      const resources = ([] as unknown[]).concat(statement.Resource);
      expect(statement.Effect).toBe('Allow');
      expect(resources).not.toContain('*');
      expect(
        statement.Action.every((action) => /^(logs|s3):/.test(action)),
        JSON.stringify(statement.Action),
      ).toBe(true);
      if (statement.Action.some((action) => action.startsWith('logs:'))) {
        expect(resources).toEqual([
          { 'Fn::GetAtt': [synth.logicalId(consoleOf().hosting.node.findChild('DeploymentLogs') as never), 'Arn'] },
        ]);
        return 'own log group';
      }
      if (statement.Action.some((action) => /^s3:(Put|Delete|Abort)/.test(action))) {
        expect(resources).toEqual([bucketArn, objects]);
        return 'writes the console bucket';
      }
      expect(
        statement.Action.every((action) => /^s3:(Get|List)/.test(action)),
        JSON.stringify(statement.Action),
      ).toBe(true);
      expect(resources).toEqual([assetBucket(''), assetBucket('/*')]);
      return 'reads the staged assets';
    });
    expect(kinds.sort()).toEqual(['own log group', 'reads the staged assets', 'writes the console bucket']);
    // No other role may write the console bucket.
    const writers = ofType('AWS::IAM::Policy').filter(
      ([, policy]) =>
        policy.Properties.Roles.every((role: { Ref: string }) => role.Ref !== roleId) &&
        JSON.stringify(policy.Properties.PolicyDocument).includes(bucketId()),
    );
    expect(writers).toEqual([]);
  });
});

describe('console sign-in (Cognito)', () => {
  it('has a user pool without self sign-up, with a strong password policy, required MFA and threat protection', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Properties.UserPoolTier).toBe('PLUS');
    expect(pool.Properties.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('has one group per role, the highest role taking precedence', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, group]) => group.Properties);
    expect(groups.map((group) => [group.GroupName, group.Precedence]).sort()).toEqual([
      ['admin', 0],
      ['agent', 2],
      ['lead', 1],
      ['viewer', 3],
    ]);
    for (const group of groups) expect(group.UserPoolId).toEqual({ Ref: synth.logicalId(consoleOf().auth.userPool) });
  });

  it("has an app client for the console's page: code flow without a secret, back to the distribution only", () => {
    const [, client] = only('AWS::Cognito::UserPoolClient');
    const back = [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }, '/login']] }];
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: back,
      LogoutURLs: back,
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.Properties.AllowedOAuthFlows).not.toContain('implicit');
    const [, domain] = only('AWS::Cognito::UserPoolDomain');
    expect(domain.Properties.Domain).toBe('prod-foghorn-console-123456789012');
  });

  it('puts the console routes behind the JWT authorizer (issuer the pool, audience the client) and keeps IAM on the machine routes', () => {
    const [authorizerId, authorizer] = only('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::GetAtt': [synth.logicalId(consoleOf().auth.userPool), 'ProviderURL'] },
        Audience: [{ Ref: synth.logicalId(consoleOf().auth.client) }],
      },
    });
    const routes = ofType('AWS::ApiGatewayV2::Route').map(
      ([id, route]) => ({ id, ...route.Properties }) as Record<string, any> & { id: string },
    );
    const keyed = Object.fromEntries(routes.map((route) => [route.RouteKey, route]));
    const machine = topology.http.filter((route) => 'auth' in route && route.auth === 'iam');
    for (const route of machine) {
      expect(keyed[`${route.method} ${route.path}`]?.AuthorizationType, route.path).toBe('AWS_IAM');
      const copy = keyed[`${route.method} ${CONSOLE_API_PREFIX}${route.path}`];
      expect(copy, `${CONSOLE_API_PREFIX}${route.path}`).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
    const consoleRoutes = routes.filter((route) => route.RouteKey.split(' ')[1].startsWith(`${CONSOLE_API_PREFIX}/`));
    expect(consoleRoutes.map((route) => route.RouteKey).sort()).toEqual(
      [...machine.map((route) => `${route.method} ${CONSOLE_API_PREFIX}${route.path}`), `GET ${CONSOLE_API_PREFIX}/api/me`].sort(),
    );
    for (const route of consoleRoutes) expect(route.AuthorizationType, route.RouteKey).toBe('JWT');
    for (const route of routes.filter((candidate) => candidate.RouteKey.includes('/webhooks/')))
      expect(route.AuthorizationType).toBe('NONE');
    // Every console route reaches the api function, and the stage waits for them.
    const apiFunction = synth.logicalId(synth.stack.functions.api!);
    for (const route of consoleRoutes) {
      const integrationId = (route.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
      expect(resources[integrationId.Ref]!.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [apiFunction, 'Arn'] });
    }
    expect(only('AWS::ApiGatewayV2::Stage')[1].DependsOn).toEqual(expect.arrayContaining(consoleRoutes.map((route) => route.id)));
  });
});

describe('cdk-nag', () => {
  it('finds no error and no warning with the console, and every acknowledgement gives its reason', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.stack);
    expect(report.violations.map((violation) => `${violation.severity} ${violation.ruleName}`)).toEqual([]);
    const acknowledged = [consoleOf().hosting, consoleOf().auth, ...synth.stack.node.children]
      .flatMap((construct) => construct.node.findAll())
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
          .flatMap((entry) => Object.entries(entry.data as Record<string, { reason?: string } | string>)),
      );
    for (const [id, ack] of acknowledged) expect((typeof ack === 'string' ? ack : ack.reason)?.length ?? 0, id).toBeGreaterThan(40);
  });

  it('adds no console resource to a stack without the console', async () => {
    const plain = await synthesise({ bundle: false });
    try {
      const types = Object.values(plain.template.toJSON().Resources as Record<string, Resource>).map((resource) => resource.Type);
      expect(types.filter((type) => /Cognito|CloudFront|S3::Bucket|ApiGatewayV2::Authorizer/.test(type))).toEqual([]);
    } finally {
      plain.dispose();
    }
  }, 120_000);
});
