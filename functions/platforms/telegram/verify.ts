import type { ConnectorContext } from '../../core/connector.js';
import { NotConfiguredError, SignatureError } from '../../core/errors.js';
import type { InboundRequest } from '../../core/http.js';
import { safeEqual } from '../shared/hmac.js';

export const TELEGRAM_SECRET_TOKEN = 'FOGHORN_TELEGRAM_SECRET_TOKEN';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Telegram signs nothing: it repeats the `secret_token` given to `setWebhook` in
 * `X-Telegram-Bot-Api-Secret-Token`, compared here in constant time.
 */
export function verifyTelegramSecret(request: InboundRequest, context: ConnectorContext): void {
  const expected = context.settings.get(TELEGRAM_SECRET_TOKEN);
  if (expected === undefined) throw new NotConfiguredError(request.platform, [TELEGRAM_SECRET_TOKEN]);
  const given = request.headers[SECRET_HEADER];
  if (given === undefined) throw new SignatureError(`missing ${SECRET_HEADER} header`);
  if (!safeEqual(given, expected)) throw new SignatureError(`${SECRET_HEADER} does not match ${TELEGRAM_SECRET_TOKEN}`);
}
