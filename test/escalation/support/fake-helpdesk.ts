import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Helpdesk } from '../../../functions/escalation/ports.js';
import {
  freshdeskCreated,
  freshdeskNote,
  freshdeskSearch,
  jiraComment,
  jiraCreated,
  jiraSearch,
  zendeskCreated,
  zendeskList,
  zendeskUpdated,
} from '../fixtures/helpdesk-samples.js';

export interface HelpdeskRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

interface FakeTicket {
  id: string;
  /** Zendesk external_id, Freshdesk tags, Jira labels: what a lookup matches. */
  marks: string[];
  comments: string[];
}

/**
 * A loopback server that plays a helpdesk's ticket API with state: tickets it opened, their comments, lookups by
 * the command's mark, and (Zendesk) the Idempotency-Key. `failNext` answers the next call with a given error
 * without acting on it; `slowNext` acts on the next call but answers only after a delay (a timeout that created);
 * `hangNext` takes the next call without acting on it and answers late (a timeout that created nothing).
 */
export async function startFakeHelpdesk(helpdesk: Helpdesk) {
  const received: HelpdeskRequest[] = [];
  const tickets: FakeTicket[] = [];
  const byIdempotencyKey = new Map<string, FakeTicket>();
  const failures: Answer[] = [];
  let delayNextMs = 0;
  let hangNextMs = 0;

  const json = (status: number, body: unknown): Answer => ({ status, body: JSON.stringify(body) });
  const open = (marks: string[], first: string): FakeTicket => {
    const ticket = { id: helpdesk === 'jira' ? `SUP-${tickets.length + 1}` : String(35436 + tickets.length), marks, comments: [first] };
    tickets.push(ticket);
    return ticket;
  };
  const find = (id: string) => tickets.find((ticket) => ticket.id === id);

  function act(request: HelpdeskRequest): Answer {
    const url = new URL(request.url, 'http://fake');
    const body = request.body ? JSON.parse(request.body) : undefined;
    if (helpdesk === 'zendesk') {
      if (request.method === 'POST' && url.pathname === '/api/v2/tickets.json') {
        const key = request.headers['idempotency-key'];
        const repeated = typeof key === 'string' ? byIdempotencyKey.get(key) : undefined;
        if (repeated)
          return { status: 201, headers: { 'x-idempotency-lookup': 'hit' }, body: JSON.stringify(zendeskCreated(Number(repeated.id))) };
        const ticket = open([body.ticket.external_id], body.ticket.comment.body);
        if (typeof key === 'string') byIdempotencyKey.set(key, ticket);
        return { status: 201, headers: { 'x-idempotency-lookup': 'miss' }, body: JSON.stringify(zendeskCreated(Number(ticket.id))) };
      }
      const update = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(url.pathname);
      if (request.method === 'PUT' && update) {
        const ticket = find(update[1]!);
        if (!ticket) return json(404, { error: 'RecordNotFound', description: 'Not found' });
        ticket.comments.push(body.ticket.comment.body);
        return json(200, zendeskUpdated(Number(ticket.id)));
      }
      if (request.method === 'GET' && url.pathname === '/api/v2/tickets.json') {
        const mark = url.searchParams.get('external_id');
        return json(200, zendeskList(tickets.filter((ticket) => ticket.marks.includes(mark ?? '')).map((ticket) => Number(ticket.id))));
      }
    }
    if (helpdesk === 'freshdesk') {
      if (request.method === 'POST' && url.pathname === '/api/v2/tickets') {
        return json(201, freshdeskCreated(Number(open(body.tags, body.description).id)));
      }
      const note = /^\/api\/v2\/tickets\/(\d+)\/notes$/.exec(url.pathname);
      if (request.method === 'POST' && note) {
        const ticket = find(note[1]!);
        if (!ticket) return json(404, { code: 'access_denied', message: 'You are not authorized to perform this action.' });
        ticket.comments.push(body.body);
        return json(201, freshdeskNote(Number(ticket.id)));
      }
      if (request.method === 'GET' && url.pathname === '/api/v2/search/tickets') {
        const mark = /tag:'([^']+)'/.exec(url.searchParams.get('query') ?? '')?.[1] ?? '';
        return json(200, freshdeskSearch(tickets.filter((ticket) => ticket.marks.includes(mark)).map((ticket) => Number(ticket.id))));
      }
    }
    if (helpdesk === 'jira') {
      if (request.method === 'POST' && url.pathname === '/rest/api/3/issue') {
        const ticket = open(body.fields.labels, JSON.stringify(body.fields.description));
        return json(201, jiraCreated(ticket.id, String(10000 + tickets.length)));
      }
      const comment = /^\/rest\/api\/3\/issue\/([A-Z]+-\d+)\/comment$/.exec(url.pathname);
      if (request.method === 'POST' && comment) {
        const ticket = find(comment[1]!);
        if (!ticket) return json(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
        ticket.comments.push(JSON.stringify(body.body));
        return json(201, jiraComment);
      }
      if (request.method === 'POST' && url.pathname === '/rest/api/3/search/jql') {
        const mark = /labels = "([^"]+)"/.exec(body.jql)?.[1] ?? '';
        return json(200, jiraSearch(tickets.filter((ticket) => ticket.marks.includes(mark)).map((ticket) => ticket.id)));
      }
    }
    return json(404, { error: `the fake ${helpdesk} has no ${request.method} ${url.pathname}` });
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const hang = hangNextMs;
      hangNextMs = 0;
      const failure = hang ? { status: 503 } : failures.shift();
      const answer = failure ?? act(request);
      const delay = hang || (failure ? 0 : delayNextMs);
      if (!failure) delayNextMs = 0;
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '');
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    tickets,
    failNext(answer: Answer) {
      failures.push(answer);
    },
    slowNext(ms: number) {
      delayNextMs = ms;
    },
    /** The next call is taken but never acted on; an answer (503) comes only after `ms`. */
    hangNext(ms: number) {
      hangNextMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
