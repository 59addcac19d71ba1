import { type Command, UsageError } from '../io.js';
import { apiCredentialFor, callRuntime, runtimeUrl } from './runtime-api.js';

const USAGE =
  'foghorn approvals [list] [--status pending|approved|rejected|expired|all] [--json] | approve ID --who NAME [--note TEXT] | reject ID --who NAME --reason TEXT  [--url URL]';

interface Approval {
  id: string;
  status: string;
  reason: string;
  heldBy: string;
  createdAt: string;
  expiresAt: string;
  decidedBy?: string;
  command?: { type: string; ruleId: string; eventId: string; params: { text?: unknown } };
}

/** The approval queue of the running Foghorn: list held actions, approve (sent once) or reject them. */
export const approvalsCommand: Command = {
  summary: 'list held actions; approve or reject them',
  usage: USAGE,
  async run(input, io) {
    const values = {
      status: input.string('status'),
      who: input.string('who'),
      note: input.string('note'),
      reason: input.string('reason'),
      json: input.flag('json'),
      limit: input.string('limit'),
      url: input.string('url'),
    };
    const [verb = 'list', id, ...rest] = input.positionals;
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    const base = runtimeUrl(values.url, io);
    const credential = apiCredentialFor(base, io);
    if (verb === 'list') {
      const query = new URLSearchParams({ status: values.status ?? 'pending', limit: values.limit ?? '100' });
      const { approvals } = await callRuntime<{ approvals: Approval[] }>(base, 'GET', `/api/approvals?${query}`, undefined, credential);
      if (values.json) {
        for (const approval of approvals) io.out(JSON.stringify(approval));
        return 0;
      }
      if (approvals.length === 0) io.out(`no ${values.status ?? 'pending'} approvals`);
      for (const approval of approvals) {
        const what = approval.command
          ? `${approval.command.type} by ${approval.command.ruleId} on ${approval.command.eventId}`
          : 'no action parked';
        const text = typeof approval.command?.params.text === 'string' ? ` "${approval.command.params.text.slice(0, 80)}"` : '';
        io.out(`${approval.id}  ${approval.status}  ${what}${text}  held: ${approval.reason}  expires ${approval.expiresAt}`);
      }
      return 0;
    }
    if (verb !== 'approve' && verb !== 'reject') throw new UsageError(`unknown approvals command '${verb}' (list, approve, reject)`);
    if (!id) throw new UsageError(`approvals ${verb} needs the approval id (see: foghorn approvals list)`);
    if (!values.who) throw new UsageError(`approvals ${verb} needs --who (it goes into the audit log)`);
    if (verb === 'reject' && !values.reason) throw new UsageError('approvals reject needs --reason');
    const body =
      verb === 'approve' ? { who: values.who, ...(values.note ? { note: values.note } : {}) } : { who: values.who, reason: values.reason };
    const { approval } = await callRuntime<{ approval: Approval }>(
      base,
      'POST',
      `/api/approvals/${encodeURIComponent(id)}/${verb}`,
      body,
      credential,
    );
    io.out(`${approval.id} is ${approval.status}${verb === 'approve' && approval.command ? ' and is being sent' : ''}`);
    return 0;
  },
};
