/** Settings the Slack connector reads (environment locally, the Secrets Manager secret on AWS). */
export const SLACK_SIGNING_SECRET = 'FOGHORN_SLACK_SIGNING_SECRET';
export const SLACK_BOT_TOKEN = 'FOGHORN_SLACK_BOT_TOKEN';
/** The bot user's id (U…): messages it wrote are `author.isSelf`. Optional: the delivery's `authorizations` say it too. */
export const SLACK_BOT_USER_ID = 'FOGHORN_SLACK_BOT_USER_ID';
/** Where a `post` goes when the action names no `channel`. */
export const SLACK_DEFAULT_CHANNEL = 'FOGHORN_SLACK_DEFAULT_CHANNEL';
/** Web API base URL; tests point it at a loopback server. */
export const SLACK_API_URL = 'FOGHORN_SLACK_API_URL';
export const SLACK_DEFAULT_API_URL = 'https://slack.com/api';

export const SLACK = 'slack';
