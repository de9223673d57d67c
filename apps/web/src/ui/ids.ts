/** A random UUID v4 for new rows; works outside secure contexts too (crypto.randomUUID does not). */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Parses a JSON column as the local database stores it (text); null when absent or invalid. */
export function parseJsonColumn<T = unknown>(text: unknown): T | null {
  if (typeof text !== 'string' || text === '') return (typeof text === 'object' ? (text as T) : null) ?? null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
