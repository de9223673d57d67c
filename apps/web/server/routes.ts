/**
 * Which upstream a request path goes to. The browser talks to one origin only: the client, the
 * upload API and the PowerSync endpoint (whose URL the connector sets to the page's origin).
 */
export type Upstream = 'api' | 'sync' | 'static';

/** The paths the PowerSync web client calls on its endpoint (see docs/powersync-protocol.md §1). */
const SYNC_PATHS = ['/sync/', '/write-checkpoint2.json', '/write-checkpoint.json'];

export function upstreamFor(pathname: string): Upstream {
  if (pathname === '/api' || pathname.startsWith('/api/')) return 'api';
  if (SYNC_PATHS.some((prefix) => (prefix.endsWith('/') ? pathname.startsWith(prefix) : pathname === prefix))) {
    return 'sync';
  }
  return 'static';
}
