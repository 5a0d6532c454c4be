import { Meilisearch } from 'meilisearch';

export type { Meilisearch };

/**
 * A Meilisearch client with a short request timeout: a search that cannot be
 * answered quickly should fail fast and let the caller degrade, not hang a page.
 */
export function createSearchClient(options: { host: string; apiKey?: string; timeoutMs?: number }): Meilisearch {
  return new Meilisearch({ host: options.host, apiKey: options.apiKey, timeout: options.timeoutMs ?? 2000 });
}

export async function isSearchUp(client: Meilisearch | undefined): Promise<boolean> {
  if (!client) return false;
  try {
    return (await client.health()).status === 'available';
  } catch {
    return false;
  }
}
