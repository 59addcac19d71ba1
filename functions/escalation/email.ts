import type { OutboundRequest } from '../core/http.js';
import { digestText, type Escalation } from './escalation.js';
import type { EscalationTarget } from './target-config.js';

export interface EmailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** Sends email (SES on AWS: functions/aws/ses-email-sender.ts). Throws Transient/PermanentActionError like an HTTP target. */
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
    method: 'POST',
    url: 'ses:v2/email/outbound-emails',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
  };
}
