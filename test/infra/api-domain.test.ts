import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleForDeployment, consoleForDeployment } from '../../infra/console-for-deployment.js';
import { InvalidApiDomainError } from '../../infra/constructs/api-domain.js';
import { type Synthesised, synthesise } from './synth.js';
import { templateText } from './template-text.js';

/** The HTTP API on a custom domain (`-c domainName=… -c certificateArn=… [-c hostedZoneId=…]`). Bundling is skipped. */
const DOMAIN = 'hooks.example.org';
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const ZONE = 'Z0123456789ABCDEFGHIJ';

let build: ConsoleForDeployment;
let withZone: Synthesised;
let withoutZone: Synthesised;
let plain: Synthesised;

beforeAll(async () => {
  build = await consoleForDeployment();
  [withZone, withoutZone, plain] = await Promise.all([
    synthesise({
      bundle: false,
      props: { console: { build }, domain: { domainName: DOMAIN, certificateArn: CERTIFICATE, hostedZoneId: ZONE } },
    }),
    synthesise({ bundle: false, props: { domain: { domainName: DOMAIN, certificateArn: CERTIFICATE } } }),
    synthesise({ bundle: false, props: { console: { build } } }),
  ]);
}, 180_000);
afterAll(() => {
  for (const synth of [withZone, withoutZone, plain]) synth?.dispose();
});

const outputOf = (synth: Synthesised, name: string) => templateText(synth.template.findOutputs(name)[name]?.Value);

describe('the custom domain option', () => {
  it('makes a regional TLS 1.2 domain name with the certificate, mapped to the $default stage at its root', () => {
    withZone.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: DOMAIN,
      DomainNameConfigurations: [{ CertificateArn: CERTIFICATE, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    const mappings = Object.values(withZone.template.findResources('AWS::ApiGatewayV2::ApiMapping'));
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toEqual({
      ApiId: { Ref: withZone.logicalId(withZone.stack.api) },
      DomainName: { Ref: withZone.logicalId(withZone.stack.domain!.domain) },
      Stage: '$default',
    });
    // Created once the stage is: a mapping to a stage that does not exist yet is refused.
    expect(mappings[0]!.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ApiStage/)]));
  });

  it("adds an alias record in the team's zone when a hosted zone is given, else outputs where to point the name", () => {
    const records = Object.values(withZone.template.findResources('AWS::Route53::RecordSet'));
    expect(records).toHaveLength(1);
    expect(records[0]!.Properties).toMatchObject({
      Name: `${DOMAIN}.`,
      Type: 'A',
      HostedZoneId: ZONE,
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': [withZone.logicalId(withZone.stack.domain!.domain), 'RegionalDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': [withZone.logicalId(withZone.stack.domain!.domain), 'RegionalHostedZoneId'] },
      },
    });
    expect(withZone.template.findOutputs('ApiDomainTarget')).toEqual({});
    withoutZone.template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(outputOf(withoutZone, 'ApiDomainTarget')).toBe(
      `<${withoutZone.logicalId(withoutZone.stack.domain!.domain)}.RegionalDomainName>`,
    );
  });

  it('puts the webhook and API URLs the stack outputs on the domain', () => {
    expect(outputOf(withZone, 'WebhookUrl')).toBe(`https://${DOMAIN}/webhooks/{platform}`);
    expect(outputOf(withZone, 'ApiUrl')).toBe(`https://${DOMAIN}/api`);
    expect(withZone.stack.apiUrl).toBe(`https://${DOMAIN}`);
    // Without the option, the execute-api endpoint as before.
    expect(outputOf(plain, 'WebhookUrl')).toBe(`<${plain.logicalId(plain.stack.api)}.ApiEndpoint>/webhooks/{platform}`);
    plain.template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });

  it("sends the console's /api/* to the domain, under the console routes' prefix", () => {
    const originOf = (synth: Synthesised) => {
      const [distribution] = Object.values(synth.template.findResources('AWS::CloudFront::Distribution'));
      const config = distribution!.Properties.DistributionConfig as {
        CacheBehaviors: Array<{ PathPattern: string; TargetOriginId: string }>;
        Origins: Array<{ Id: string; DomainName: unknown; OriginPath?: string }>;
      };
      const api = config.CacheBehaviors.find((behavior) => behavior.PathPattern === '/api/*');
      const origin = config.Origins.find((candidate) => candidate.Id === api?.TargetOriginId);
      return { domain: templateText(origin?.DomainName), path: origin?.OriginPath };
    };
    expect(originOf(withZone)).toEqual({ domain: DOMAIN, path: '/console' });
    expect(originOf(plain)).toEqual({
      domain: `<Ref:${plain.logicalId(plain.stack.api)}>.execute-api.us-east-1.<Ref:AWS::URLSuffix>`,
      path: '/console',
    });
  });

  it('refuses a domain, certificate or zone that cannot be used, naming the option', async () => {
    const refused = async (domain: { domainName: string; certificateArn: string; hostedZoneId?: string }) =>
      synthesise({ bundle: false, props: { domain } }).then(
        (synth) => {
          synth.dispose();
          return undefined;
        },
        (error: unknown) => error,
      );
    const scheme = await refused({ domainName: `https://${DOMAIN}`, certificateArn: CERTIFICATE });
    expect(scheme).toBeInstanceOf(InvalidApiDomainError);
    expect((scheme as Error).message).toBe(
      `context 'domainName' is "https://${DOMAIN}": a host name in lower case, such as hooks.example.org (no scheme, no path)`,
    );
    expect(((await refused({ domainName: DOMAIN, certificateArn: 'my-cert' })) as Error).message).toMatch(
      /^context 'certificateArn' is "my-cert": the ARN of an ACM certificate/,
    );
    expect(((await refused({ domainName: DOMAIN, certificateArn: CERTIFICATE, hostedZoneId: 'example.org' })) as Error).message).toMatch(
      /^context 'hostedZoneId' is "example.org": a Route 53 hosted zone id/,
    );
  });
});
