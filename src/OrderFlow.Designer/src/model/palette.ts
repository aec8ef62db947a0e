import type { ActivityDescriptor } from '../api/types';

/** Descriptors matching a search (name, type, category or description), grouped by category in a stable order. */
export function paletteGroups(descriptors: Iterable<ActivityDescriptor>, search: string, hideStart: boolean): [string, ActivityDescriptor[]][] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map<string, ActivityDescriptor[]>();
  for (const d of descriptors) {
    if (hideStart && d.isStart) continue;
    const text = `${d.displayName} ${d.type} ${d.category} ${d.description ?? ''}`.toLowerCase();
    if (!words.every((w) => text.includes(w))) continue;
    groups.set(d.category, [...(groups.get(d.category) ?? []), d]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, list]) => [category, [...list].sort((x, y) => rank(x, words) - rank(y, words) || x.displayName.localeCompare(y.displayName))]);
}

/** Names starting with the search come first, so "Enter" adds what was meant. */
function rank(d: ActivityDescriptor, words: string[]): number {
  const first = words[0];
  return first && d.displayName.toLowerCase().startsWith(first) ? 0 : 1;
}

/** Every match across categories, best first: the exact name, then names starting with the search, then the rest. */
export function rankedMatches(groups: [string, ActivityDescriptor[]][], search: string): ActivityDescriptor[] {
  const text = search.toLowerCase().trim();
  const first = text.split(/\s+/)[0] ?? '';
  const score = (d: ActivityDescriptor) => {
    const name = d.displayName.toLowerCase();
    return name === text ? 0 : first !== '' && name.startsWith(first) ? 1 : 2;
  };
  return groups.flatMap(([, list]) => list).map((d, i) => ({ d, i })).sort((a, b) => score(a.d) - score(b.d) || a.i - b.i).map((x) => x.d);
}

/** The activity "Enter" adds: the best match across categories. */
export function firstMatch(groups: [string, ActivityDescriptor[]][], search: string): ActivityDescriptor | undefined {
  return rankedMatches(groups, search)[0];
}

export const CATEGORY_COLORS: Record<string, string> = {
  Flow: '#5b6ee1',
  Timing: '#8a63d2',
  Data: '#0f9b8e',
  Events: '#d97706',
  Fulfillment: '#2f6fd3',
  'Drop-ship': '#2f6fd3',
};

export const categoryColor = (category: string | undefined) => CATEGORY_COLORS[category ?? ''] ?? '#64748b';
