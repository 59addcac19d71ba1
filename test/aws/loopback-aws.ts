import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsJsonCall {
  target: string;
  body: unknown;
}

/**
 * A loopback server that plays an AWS JSON-protocol API (EventBridge, SQS, Secrets Manager): it records
 * the `X-Amz-Target` and body of each call and answers with the JSON the test scripts.
 */
export async function startAwsJsonServer(answer: (call: AwsJsonCall) => unknown): Promise<{
  endpoint: string;
  calls: AwsJsonCall[];
  /** TCP connections opened to the server so far: a client that keeps its connection alive opens one. */
  connections(): number;
  close(): Promise<void>;
}> {
  const calls: AwsJsonCall[] = [];
  let connections = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const call = {
        target: String(request.headers['x-amz-target'] ?? ''),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown,
      };
      calls.push(call);
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(answer(call)));
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Options for a real SDK client pointed at the loopback server, with credentials that sign but open nothing. */
export function loopbackClientConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback' }, maxAttempts: 1 };
}
