import type { Connection, JournalEntry } from '../api/types';
import { edgeId } from './definition';

export type ActivityStatus = 'completed' | 'waiting' | 'faulted' | 'retrying' | 'skipped';

const STATUS_BY_EVENT: Record<string, ActivityStatus | undefined> = {
  Completed: 'completed',
  Absorbed: 'completed',
  Waiting: 'waiting',
  RetryScheduled: 'retrying',
  Faulted: 'faulted',
  Halted: 'faulted',
  IncidentRetried: 'retrying',
  IncidentSkipped: 'skipped',
};

/** Each activity's latest status from the journal (the latest execution wins when a path loops). */
export function activityStatuses(journal: readonly JournalEntry[]): Map<string, ActivityStatus> {
  const statuses = new Map<string, ActivityStatus>();
  for (const entry of sortById(journal)) {
    const status = STATUS_BY_EVENT[entry.event];
    if (entry.activityId && status) statuses.set(entry.activityId, status);
  }
  return statuses;
}

/**
 * The connections the instance actually followed: an outcome an activity completed (or was skipped) with, leading
 * to an activity that ran afterwards.
 */
export function followedConnections(journal: readonly JournalEntry[], connections: readonly Connection[]): Set<string> {
  const sorted = sortById(journal);
  const followed = new Set<string>();
  sorted.forEach((entry, index) => {
    if (!entry.activityId || !entry.outcomes?.length) return;
    for (const c of connections) {
      if (c.source !== entry.activityId || !entry.outcomes.includes(c.outcome)) continue;
      if (sorted.slice(index + 1).some((later) => later.activityId === c.target)) followed.add(edgeId(c.source, c.outcome, c.target));
    }
  });
  return followed;
}

export function entriesFor(journal: readonly JournalEntry[], activityId: string): JournalEntry[] {
  return sortById(journal).filter((e) => e.activityId === activityId);
}

function sortById(journal: readonly JournalEntry[]): JournalEntry[] {
  return [...journal].sort((a, b) => Number(a.id) - Number(b.id));
}

export function formatDuration(ms: number | string | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const value = Number(ms);
  if (value < 1) return '<1 ms';
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 60_000) return `${(value / 1000).toFixed(1)} s`;
  return `${Math.round(value / 60_000)} min`;
}
