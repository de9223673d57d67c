import type { Role } from '@cr/demo-domain';

/** A demo user (GET /api/auth/users). */
export interface DemoUser {
  id: string;
  name: string;
  role: Role;
}

export interface TokenResponse {
  token: string;
  expires_at: string;
  user: DemoUser;
}

/** The API is on the page's own origin (apps/web/serve.ts or the Vite dev server forward it). */
const API_BASE = '/api';

async function readJson<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `${what} failed (${response.status}).`);
  }
  return (await response.json()) as T;
}

export async function fetchDemoUsers(signal?: AbortSignal): Promise<DemoUser[]> {
  return readJson(await fetch(`${API_BASE}/auth/users`, signal ? { signal } : {}), 'Loading the demo users');
}

export async function fetchToken(user: string): Promise<TokenResponse> {
  const response = await fetch(`${API_BASE}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  return readJson(response, 'Signing in');
}

export function uploadUrl(): string {
  return `${API_BASE}/data`;
}

export interface MetricsRow {
  table: string;
  status: string;
  code: string | null;
  count: number;
}

export interface Metrics {
  outcomes: MetricsRow[];
  timeline: (MetricsRow & { bucket: string })[];
  open_conflicts: number;
  field_changes: { status: string; code: string | null; count: number }[];
}

/** The metrics are for signed-in users: `token` is the session's API token. */
export async function fetchMetrics(
  bucket: 'minute' | 'hour',
  since: string,
  token: string,
  signal?: AbortSignal,
): Promise<Metrics> {
  const query = new URLSearchParams({ bucket, since });
  const headers = { authorization: `Bearer ${token}` };
  return readJson(
    await fetch(`${API_BASE}/metrics?${query}`, signal ? { headers, signal } : { headers }),
    'Loading the metrics',
  );
}
