/**
 * `path` with the request's query parameters, repeated ones kept as repeated,
 * and `changes` applied (a value replaces, undefined removes).
 */
export function urlWithQuery(path: string, query: Record<string, unknown>, changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (name in changes) continue;
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') params.append(name, item);
  }
  for (const [name, value] of Object.entries(changes)) if (value !== undefined) params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
