import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, type HttpRoute, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ROLES, type Role } from '../../functions/auth/roles.js';
import { CONSOLE_API_PREFIX, CONSOLE_ME_ROUTE } from '../../functions/entries/lambda/console-access.js';

/** Where the console sends people to sign in and what its page needs to start the code flow (config.json). */
export interface ConsoleSignIn {
  kind: 'cognito';
  region: string;
  userPoolId: string;
  clientId: string;
  /** The hosted UI: `<domain>/oauth2/authorize`, `/oauth2/token`, `/logout`. */
  domain: string;
  /** Where Cognito returns with `?code=…&state=…`, and where it sends a signed-out user. */
  redirectUri: string;
  logoutUri: string;
  scopes: string[];
}

export interface ConsoleAuthProps {
  /** The console's own origin, `https://…` (the CloudFront distribution): the only callback and sign-out address. */
  consoleUrl: string;
  /** The hosted UI's prefix, `<prefix>.auth.<region>.amazoncognito.com`; it must be unique in the region. */
  domainPrefix: string;
  /** The user pool's name; `<stack name>-console` when absent. */
  userPoolName?: string;
}

/** Each role's group precedence: a user in several groups reads as the highest of them, admin first. */
const PRECEDENCE: Readonly<Record<Role, number>> = Object.fromEntries(
  ROLES.map((role, index) => [role, ROLES.length - 1 - index]),
) as Record<Role, number>;

/** The page the console signs in on; Cognito comes back to it with the code. */
export const CONSOLE_CALLBACK_PATH = '/login';

/** `https://<prefix>.auth.<region>.amazoncognito.com`, known before the domain exists (the console's CSP names it). */
export function hostedUiUrl(scope: Construct, domainPrefix: string): string {
  return `https://${domainPrefix}.auth.${Stack.of(scope).region}.amazoncognito.com`;
}

/**
 * Who may use the console on AWS: a Cognito user pool an admin fills (no self sign-up), one group per role
 * (functions/auth/roles.ts), and an app client for the console's page: authorization code with PKCE, no secret
 * (a browser cannot keep one), callbacks to the console's origin only. `routeConsoleApi` puts the console's copy
 * of the API behind a JWT authorizer for that client; machines keep IAM on `/api/…`.
 */
export class ConsoleAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly groups: Record<Role, UserPoolGroup>;
  readonly authorizer: HttpJwtAuthorizer;
  readonly signIn: ConsoleSignIn;

  constructor(scope: Construct, id: string, props: ConsoleAuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: props.userPoolName ?? `${Stack.of(this).stackName}-console`,
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Required, by an authenticator app: a console account approves public replies and switches crisis mode for
      // the brand, which a phished password alone must not do. No SMS: no SNS role, no SIM-swap.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Threat protection (the former advanced security) blocks risky sign-ins and leaked passwords; it needs Plus.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: 'Your Foghorn console account',
        emailBody:
          'You can now sign in to the Foghorn console as {username} with the temporary password {####}. Set up an authenticator app when asked.',
      },
      deletionProtection: true,
      // The accounts and their groups are the team's; a deleted stack leaves them to be removed on purpose.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.groups = Object.fromEntries(
      ROLES.map((role) => [
        role,
        new UserPoolGroup(this, `${role[0]!.toUpperCase()}${role.slice(1)}Group`, {
          userPool: this.userPool,
          groupName: role,
          precedence: PRECEDENCE[role],
          description: GROUP_DESCRIPTIONS[role],
        }),
      ]),
    ) as Record<Role, UserPoolGroup>;

    const redirectUri = `${props.consoleUrl}${CONSOLE_CALLBACK_PATH}`;
    const scopes = [OAuthScope.OPENID, OAuthScope.EMAIL];
    this.client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'foghorn-console',
      // A page cannot keep a secret; the code flow is bound to it by PKCE, which Cognito checks whenever the
      // authorize request carries a code_challenge (the console always sends S256).
      generateSecret: false,
      authFlows: { user: false, userPassword: false, userSrp: false, custom: false, adminUserPassword: false },
      oAuth: { flows: { authorizationCodeGrant: true }, scopes, callbackUrls: [redirectUri], logoutUrls: [redirectUri] },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.domain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });

    // Access tokens carry `client_id` rather than `aud`; API Gateway checks either against the audience.
    this.authorizer = new HttpJwtAuthorizer('ConsoleJwt', this.userPool.userPoolProviderUrl, {
      authorizerName: 'foghorn-console',
      jwtAudience: [this.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    this.signIn = {
      kind: 'cognito',
      region: Stack.of(this).region,
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      domain: hostedUiUrl(this, props.domainPrefix),
      redirectUri,
      logoutUri: redirectUri,
      scopes: scopes.map((scope) => scope.scopeName),
    };
  }

  /**
   * The console's copy of each `/api/…` route, under CONSOLE_API_PREFIX, behind this pool's JWT authorizer and
   * served by the same function, plus `GET /api/me`. The stage waits for them, as for the routes it throttles.
   */
  routeConsoleApi(options: {
    api: HttpApi;
    handler: IFunction;
    routes: ReadonlyArray<{ method: 'GET' | 'POST' | 'DELETE'; path: string }>;
    stage?: HttpStage;
  }): HttpRoute[] {
    const integration = new HttpLambdaIntegration('ConsoleApiIntegration', options.handler);
    const routes = [...options.routes.filter((route) => route.path.startsWith('/api/')), CONSOLE_ME_ROUTE];
    const made = routes.flatMap((route) =>
      options.api.addRoutes({
        path: `${CONSOLE_API_PREFIX}${route.path}`,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer: this.authorizer,
      }),
    );
    for (const route of made) options.stage?.node.addDependency(route);
    return made;
  }
}

const GROUP_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  viewer: 'Reads everything in the console',
  agent: 'Viewer, plus approves, edits and rejects held replies, redrives dead letters, schedules and cancels posts',
  lead: 'Agent, plus switches crisis mode on and off and releases the posts a crisis suspended',
  admin: 'Everything',
};
