import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../api/types';
import { activityStatuses, entriesFor, followedConnections, formatDuration } from './journal';

let nextId = 1;
const entry = (activityId: string | null, event: string, outcomes: string[] | null = null): JournalEntry => ({
  id: nextId++, burstId: 'b', activityId, activityType: 'X', event, outcomes, attempt: 1, input: null, output: null, error: null, actor: null,
  startedAt: '2026-01-01T00:00:00Z', durationMs: 3,
});

const connections = [
  { source: 'start', outcome: 'Done', target: 'check' },
  { source: 'check', outcome: 'True', target: 'place' },
  { source: 'check', outcome: 'False', target: 'hold' },
  { source: 'place', outcome: 'Placed', target: 'end' },
];

describe('journal', () => {
  const journal = [
    entry('start', 'Completed', ['Done']),
    entry('check', 'Completed', ['True']),
    entry('place', 'RetryScheduled'),
    entry('place', 'Faulted'),
    entry(null, 'Cancelled'),
  ];

  it('gives each activity its latest status', () => {
    const statuses = activityStatuses(journal);

    expect(Object.fromEntries(statuses)).toEqual({ start: 'completed', check: 'completed', place: 'faulted' });
  });

  it('highlights only the connections followed to an activity that then ran', () => {
    expect([...followedConnections(journal, connections)].sort()).toEqual(['check:True->place', 'start:Done->check']);
  });

  it('shows a skipped incident and the path it chose', () => {
    const skipped = [...journal, entry('place', 'IncidentSkipped', ['Placed']), entry('end', 'Completed')];

    expect(activityStatuses(skipped).get('place')).toBe('skipped');
    expect(followedConnections(skipped, connections).has('place:Placed->end')).toBe(true);
  });

  it('lists the entries of one activity in order', () => {
    expect(entriesFor([...journal].reverse(), 'place').map((e) => e.event)).toEqual(['RetryScheduled', 'Faulted']);
  });

  it('formats durations for people', () => {
    expect([formatDuration(0.2), formatDuration(12.6), formatDuration(1500), formatDuration(null)]).toEqual(['<1 ms', '13 ms', '1.5 s', '']);
  });
});
