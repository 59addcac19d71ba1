import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { PermanentActionError, TransientActionError } from '../core/errors.js';
import type { OutboundRequest } from '../core/http.js';
import { digestText, type Escalation } from './escalation.js';
import type { EscalationTarget } from './target-config.js';

export interface EmailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** Sends email (SES on AWS). Throws Transient/PermanentActionError like an HTTP target. */
export interface EmailSender {
  send(message: EmailMessage): Promise<{ messageId?: string }>;
}

type EmailTarget = Extract<EscalationTarget, { type: 'email' }>;

export function escalationEmail(escalation: Escalation, target: EmailTarget): EmailMessage {
  const subject = escalation.resolve
    ? `[Foghorn] Resolved: ${escalation.summary}`
    : `[Foghorn ${escalation.severity.toUpperCase()}] ${escalation.summary}`;
  return { from: target.from, to: [...target.to], subject: subject.replace(/[\r\n]+/g, ' ').slice(0, 200), text: digestText(escalation) };
}

/** How an email is recorded on the action (sandbox and live alike): SES v2's SendEmail, as a request. */
export function recordedEmailRequest(message: EmailMessage): OutboundRequest {
  return {
    method: 'POST', url: 'ses:v2/email/outbound-emails', headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
  };
}

/** SES errors a retry may fix (throttling, SES-side faults); the rest are permanent. */
const TRANSIENT = new Set(['TooManyRequestsException', 'LimitExceededException', 'SendingPausedException', 'InternalFailure', 'ServiceUnavailable']);

/** SES v2 SendEmail with an injected client (the Lambda builds one; tests hand in a recording one). */
export class SesEmailSender implements EmailSender {
  constructor(private readonly client: Pick<SESv2Client, 'send'>) {}

  async send(message: EmailMessage): Promise<{ messageId?: string }> {
    try {
      const output = await this.client.send(new SendEmailCommand({
        FromEmailAddress: message.from,
        Destination: { ToAddresses: message.to },
        Content: { Simple: { Subject: { Data: message.subject, Charset: 'UTF-8' }, Body: { Text: { Data: message.text, Charset: 'UTF-8' } } } },
      }));
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
