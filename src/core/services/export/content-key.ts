// "Already saved" means the same type, query and content. Content is compared as JSON with sorted keys,
// because the database may hand back a JSON object's keys in another order than the file has them.

export function savedItemKey(type: string, query: string, content: unknown): string {
  return JSON.stringify([type, query, canonical(content)]);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
