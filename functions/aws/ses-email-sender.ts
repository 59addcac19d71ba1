import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { PermanentActionError, TransientActionError } from '../core/errors.js';
import type { EmailMessage, EmailSender } from '../escalation/email.js';

/** SES errors a retry may fix (throttling, SES-side faults); the rest are permanent. */
const TRANSIENT = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'SendingPausedException',
  'InternalFailure',
  'ServiceUnavailable',
]);

/** SES v2 SendEmail with an injected client (the Lambda builds one; tests hand in a recording one). */
export class SesEmailSender implements EmailSender {
  constructor(private readonly client: Pick<SESv2Client, 'send'>) {}

  async send(message: EmailMessage): Promise<{ messageId?: string }> {
    // Loaded on first email, so a function that sends none never loads the SES client at its cold start.
    const { SendEmailCommand } = await import('@aws-sdk/client-sesv2');
    try {
      const output = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: message.from,
          Destination: { ToAddresses: message.to },
          Content: {
            Simple: { Subject: { Data: message.subject, Charset: 'UTF-8' }, Body: { Text: { Data: message.text, Charset: 'UTF-8' } } },
          },
        }),
      );
      return output.MessageId ? { messageId: output.MessageId } : {};
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const text = `ses SendEmail failed: ${name}: ${error instanceof Error ? error.message : String(error)}`;
      const fault = (error as { $fault?: string }).$fault;
      if (TRANSIENT.has(name) || fault === 'server') throw new TransientActionError(text);
      throw new PermanentActionError(text);
    }
  }
}
