import type { Command } from '../io.js';
import { apiCredentialFor, callRuntime, runtimeUrl } from './runtime-api.js';

interface AuditEntry {
  at: string;
  kind: string;
  what: string;
  who?: string;
  why?: string;
  ruleId?: string;
  eventId?: string;
  detail?: { mode?: string };
}

/**
 * One entry as a line. An action recorded in sandbox mode never reached the platform or target,
 * so its `succeeded` reads `sandboxed`; the entry itself (and `--json`) keeps what was recorded.
 */
export function auditLine(entry: AuditEntry): string {
  const what = entry.detail?.mode === 'sandbox' ? entry.what.replace(/\.succeeded$/, '.sandboxed') : entry.what;
  const cause = [entry.ruleId && `rule ${entry.ruleId}`, entry.eventId && `event ${entry.eventId}`].filter(Boolean).join(', ');
  return `${entry.at}  ${what}${entry.who ? `  by ${entry.who}` : ''}${entry.why ? `  (${entry.why})` : ''}${cause ? `  [${cause}]` : ''}`;
}

/** The audit log of the running Foghorn, newest first: every action, approval, crisis switch and escalation. */
export const auditCommand: Command = {
  summary: 'show the audit log (actions, approvals, crisis switches, escalations)',
  usage: 'foghorn audit [--limit N] [--json] [--url URL]',
  async run(input, io) {
    const values = { limit: input.string('limit'), json: input.flag('json'), url: input.string('url') };
    const query = new URLSearchParams({ limit: values.limit ?? '50' });
    const base = runtimeUrl(values.url, io);
    const { audit } = await callRuntime<{ audit: AuditEntry[] }>(base, 'GET', `/api/audit?${query}`, undefined, apiCredentialFor(base, io));
    for (const entry of audit) {
      if (values.json) {
        io.out(JSON.stringify(entry));
        continue;
      }
      io.out(auditLine(entry));
    }
    return 0;
  },
};
