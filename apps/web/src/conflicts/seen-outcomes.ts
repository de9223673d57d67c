/**
 * Which resolved conflicts the author has acknowledged, per user on this device (localStorage):
 * the conflict row itself belongs to the resolution strategy, which accepts nothing else from
 * clients once resolved.
 */
const key = (userId: string) => `cr.seenOutcomes.${userId}`;

export function loadSeenOutcomes(userId: string): Set<string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

export function saveSeenOutcome(userId: string, conflictId: string): Set<string> {
  const seen = loadSeenOutcomes(userId);
  seen.add(conflictId);
  localStorage.setItem(key(userId), JSON.stringify([...seen].slice(-500)));
  return seen;
}
