import { CfnOutput } from 'aws-cdk-lib';
import { ApiMapping, DomainName, EndpointType, type HttpApi, type HttpStage, SecurityPolicy } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayv2DomainProperties } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

/** The stack's custom domain option (`-c domainName=… -c certificateArn=… [-c hostedZoneId=…]`). */
export interface ApiDomainOptions {
  /** `hooks.example.org`: the whole name, no scheme, no path. */
  domainName: string;
  /** An ACM certificate for that name, issued in the stack's region (a regional API Gateway endpoint). */
  certificateArn: string;
  /** The Route 53 public zone holding the name: an alias record is made in it. Without it, point the name at the `ApiDomainTarget` output yourself. */
  hostedZoneId?: string;
}

export interface ApiDomainProps extends ApiDomainOptions {
  api: HttpApi;
  stage: HttpStage;
}

const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/** A custom domain option that cannot be used, naming the option and what it must look like. */
export class InvalidApiDomainError extends Error {
  constructor(option: 'domainName' | 'certificateArn' | 'hostedZoneId', value: string, expected: string) {
    super(`context '${option}' is ${JSON.stringify(value)}: ${expected}`);
    this.name = 'InvalidApiDomainError';
  }
}

/**
 * The HTTP API on a name of the team's own: an API Gateway domain name (regional, TLS 1.2) mapped to the `$default`
 * stage at its root, so `https://<domain>/webhooks/…` and `/api/…` are the same routes as on the execute-api host,
 * and an alias record in the team's Route 53 zone when one is given.
 */
export class ApiDomain extends Construct {
  readonly domain: DomainName;
  readonly domainName: string;
  /** `https://<domain>` */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiDomainProps) {
    super(scope, id);
    checkApiDomainOptions(props);
    this.domainName = props.domainName;
    this.url = `https://${props.domainName}`;
    this.domain = new DomainName(this, 'Name', {
      domainName: props.domainName,
      certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new ApiMapping(this, 'Mapping', { api: props.api, domainName: this.domain, stage: props.stage });

    if (props.hostedZoneId) {
      new ARecord(this, 'Alias', {
        zone: HostedZone.fromHostedZoneId(this, 'Zone', props.hostedZoneId),
        // Fully qualified (a trailing dot): the zone's own name is not known without a lookup.
        recordName: `${props.domainName}.`,
        target: RecordTarget.fromAlias(new ApiGatewayv2DomainProperties(this.domain.regionalDomainName, this.domain.regionalHostedZoneId)),
      });
    } else {
      new CfnOutput(scope, 'ApiDomainTarget', {
        value: this.domain.regionalDomainName,
        description: `Point ${props.domainName} here (a CNAME, or an alias in Route 53)`,
      });
    }
  }
}

/** Throws InvalidApiDomainError naming the option a domain, certificate or zone cannot be used for. */
export function checkApiDomainOptions(props: ApiDomainOptions): void {
  if (!DOMAIN_PATTERN.test(props.domainName))
    throw new InvalidApiDomainError(
      'domainName',
      props.domainName,
      'a host name in lower case, such as hooks.example.org (no scheme, no path)',
    );
  if (!CERTIFICATE_ARN.test(props.certificateArn))
    throw new InvalidApiDomainError(
      'certificateArn',
      props.certificateArn,
      'the ARN of an ACM certificate, arn:aws:acm:<region>:<account>:certificate/<id>, in the region of the stack',
    );
  if (props.hostedZoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(props.hostedZoneId))
    throw new InvalidApiDomainError('hostedZoneId', props.hostedZoneId, 'a Route 53 hosted zone id, such as Z0123456789ABCDEFGHIJ');
}
