/**
 * Loopback HTTP plumbing shared by the provider API stubs (anthropic-stub.ts, openai-stub.ts): a server on
 * 127.0.0.1 (a free port) that reads and parses each request body before handing it to the stub's router, SSE and
 * JSON writers, and a close that drops kept-alive connections.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the router sees it: `body` is the parsed JSON, the raw text when it is not JSON, or null when empty. */
export interface LoopbackRequest {
  method: string;
  /** The URL path without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** A running loopback server. */
export interface LoopbackServer {
  /** The port it listens on (127.0.0.1). */
  port: number;
  /** Stops the server, closing open (kept-alive, streaming) connections. */
  close(): Promise<void>;
}

/** Writes one server-sent event; `event` null writes a data-only event (OpenAI chat streaming). */
export function writeSse(res: ServerResponse, event: string | null, data: unknown): void {
  res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
}

/** Answers with `status` and a JSON body (extra `headers` added). */
export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((res, rej) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => res(body));
    req.on('error', rej);
  });
}

/** Starts a server on 127.0.0.1 (a free port) that passes every request, body read and parsed, to `route`. */
export async function startLoopbackServer(route: (req: LoopbackRequest, res: ServerResponse) => void): Promise<LoopbackServer> {
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    route({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, headers: req.headers, body }, res);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
}
