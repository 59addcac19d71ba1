import { credential } from '../core/connector.js';
import { AmbiguousActionError } from '../core/errors.js';
import type { Settings } from '../core/settings.js';
import type { Escalation } from './escalation.js';
import type { TicketRef } from './ports.js';
import { interpretAlertingResponse, jsonBody } from './responses.js';
import type { EscalationTarget } from './target-config.js';
import { basicAuth, commandMark, type TicketWire, ticketLines, ticketSubject, trimBase } from './ticket-wire.js';

type JiraTarget = Extract<EscalationTarget, { type: 'jira' }>;

/** Atlassian Document Format: one paragraph per line, links left as text (Jira links them). */
function adf(escalation: Escalation, first: boolean) {
  return {
    type: 'doc',
    version: 1,
    content: ticketLines(escalation, first).map((line) =>
      line === '' ? { type: 'paragraph', content: [] } : { type: 'paragraph', content: [{ type: 'text', text: line }] },
    ),
  };
}

/**
 * Jira Cloud REST v3 (developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post):
 * `POST /rest/api/3/issue` with an ADF description and the command's mark among the labels (what a lookup after a
 * timeout asks JQL for: `POST /rest/api/3/search/jql`); later messages are comments
 * (`POST /rest/api/3/issue/{key}/comment`). The issue key is the ticket's id. Basic auth with email and API token.
 */
export function jiraWire(target: JiraTarget, settings: Settings): TicketWire {
  const base = trimBase(target.url);
  const headers = () => ({
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: basicAuth(credential(settings, target.email), credential(settings, target.token)),
  });
  const ref = (key: unknown): TicketRef => ({ id: String(key), url: `${base}/browse/${String(key)}` });
  return {
    create: (escalation, command) => ({
      method: 'POST',
      url: `${base}/rest/api/3/issue`,
      headers: headers(),
      body: JSON.stringify({
        fields: {
          project: { key: target.project },
          issuetype: { name: target.issueType },
          summary: ticketSubject(escalation, 255),
          description: adf(escalation, true),
          labels: ['foghorn', commandMark(command.id), ...target.labels],
        },
      }),
    }),
    created: (response, now) => {
      interpretAlertingResponse('jira', response, now);
      const key = jsonBody(response)?.key;
      if (typeof key !== 'string')
        throw new AmbiguousActionError(`jira answered ${response.status} without an issue key: the ticket may exist`);
      return ref(key);
    },
    comment: (ticket, escalation) => ({
      method: 'POST',
      url: `${base}/rest/api/3/issue/${encodeURIComponent(ticket.id)}/comment`,
      headers: headers(),
      body: JSON.stringify({ body: adf(escalation, false) }),
    }),
    commented: (response, now) => interpretAlertingResponse('jira', response, now),
    lookup: (commandId) => ({
      method: 'POST',
      url: `${base}/rest/api/3/search/jql`,
      headers: headers(),
      body: JSON.stringify({ jql: `labels = "${commandMark(commandId)}"`, fields: ['summary'], maxResults: 5 }),
    }),
    found: (response, now) => {
      interpretAlertingResponse('jira', response, now);
      const issues = jsonBody(response)?.issues;
      if (!Array.isArray(issues)) throw new Error(`jira answered ${response.status} without an issues list`);
      return issues.map((issue: { key?: unknown }) => ref(issue.key));
    },
  };
}
