import { defaultMaxListeners, getMaxListeners, setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { Meilisearch, MeilisearchApiError } from 'meilisearch';

export type { Meilisearch };

/**
 * A Meilisearch client with a short request timeout: a search that cannot be
 * answered quickly should fail fast and let the caller degrade, not hang a page.
 */
export function createSearchClient(options: { host: string; apiKey?: string; timeoutMs?: number }): Meilisearch {
  return new Meilisearch({
    host: options.host,
    apiKey: options.apiKey,
    timeout: options.timeoutMs ?? 2000,
    httpClient: nodeHttpClient,
  });
}

// Requests go over node:http with keep-alive instead of meilisearch-js's default
// fetch: Node 20's fetch (undici) waited ~40 ms for every Meilisearch answer over a
// few kB from the same machine, where node:http, curl and autocannon take ~2 ms
// (docs/PERFORMANCE.md). meilisearch-js hands a custom client the URL and the
// RequestInit it built (method, JSON body, headers with the key, abort signal)
// and takes back the parsed body; whatever the client throws it wraps in a
// MeilisearchRequestError (see meilisearchApiError below for the API errors).
const SOCKET_IDLE_TIMEOUT_MS = 5000;

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

async function nodeHttpClient(input: string | URL | Request, init: RequestInit = {}): Promise<unknown> {
  // meilisearch-js always passes a URL; the type is fetch's.
  const url = new URL(input instanceof Request ? input.url : input);
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  // meilisearch-js reuses one signal for every poll of waitTask and leaves a
  // listener of its own on it per request; fetch (undici) lifts the signal's
  // listener limit for that reason, and so do we. Our own listener is removed
  // when the request ends.
  if (signal && getMaxListeners(signal) === defaultMaxListeners) setMaxListeners(1500, signal);
  let onAbort: (() => void) | undefined;
  const { status, statusText, text } = await new Promise<{ status: number; statusText: string; text: string }>(
    (resolve, reject) => {
      const secure = url.protocol === 'https:';
      const body = typeof init.body === 'string' ? init.body : undefined;
      const headers = Object.fromEntries(new Headers(init.headers));
      // With its length known, Node sends the head and the body in one piece instead of chunked encoding.
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const request = (secure ? https : http).request(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          agent: agents[secure ? 'https:' : 'http:'],
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              statusText: response.statusMessage ?? '',
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      onAbort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('Request aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', reject);
      // meilisearch-js applies its `timeout` only to requests without a signal of their
      // own; waitTask's polls carry one (the whole wait's), so a poll to a frozen server
      // hung until the wait's end (30 s in the index jobs). A socket silent for
      // SOCKET_IDLE_TIMEOUT_MS ends the request here, whoever made it. Longer than the
      // client's 2 s: a busy Meilisearch may be slow to answer a poll, and that is no
      // reason to fail an index job.
      request.setTimeout(SOCKET_IDLE_TIMEOUT_MS, () =>
        request.destroy(new Error(`No answer from Meilisearch within ${SOCKET_IDLE_TIMEOUT_MS} ms`)),
      );
      request.end(body);
    },
  ).finally(() => {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  });
  const body: unknown = text === '' ? undefined : JSON.parse(text);
  if (status >= 200 && status < 300) return body;
  throw new MeilisearchApiError(new Response(text, { status, statusText }), body as never);
}

/**
 * The API error Meilisearch answered with (e.g. index_not_found), whether
 * meilisearch-js passed it on as it is or wrapped it as the cause of a
 * MeilisearchRequestError (which it does for everything a custom client throws).
 */
export function meilisearchApiError(error: unknown): MeilisearchApiError | undefined {
  if (error instanceof MeilisearchApiError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof MeilisearchApiError ? cause : undefined;
}

export async function isSearchUp(client: Meilisearch | undefined): Promise<boolean> {
  if (!client) return false;
  try {
    return (await client.health()).status === 'available';
  } catch {
    return false;
  }
}
