import { useMemo, useState } from 'react';
import type { ActivityDescriptor } from '../api/types';
import { firstMatch, paletteGroups, rankedMatches } from '../model/palette';

interface Props {
  title: string;
  descriptors: ReadonlyMap<string, ActivityDescriptor>;
  onPick: (type: string) => void;
  onClose: () => void;
}

/** The "+" on an outcome: search for the next activity, Enter adds it connected. */
export function QuickAdd({ title, descriptors, onPick, onClose }: Props) {
  const [search, setSearch] = useState('');
  const groups = useMemo(() => paletteGroups(descriptors.values(), search, true), [descriptors, search]);
  const matches = rankedMatches(groups, search).slice(0, 8);
  return (
    <div className="quick-add" role="dialog" aria-label={title}>
      <div className="quick-add-title">{title}</div>
      <input
        autoFocus
        type="search"
        aria-label="Search the next activity"
        placeholder="Type to search, Enter adds"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          if (e.key === 'Enter') {
            const match = firstMatch(groups, search);
            if (match) onPick(match.type);
          }
        }}
      />
      <ul>
        {matches.map((d, i) => (
          <li key={d.type} className={i === 0 ? 'enter-target' : undefined}>
            <button type="button" onClick={() => onPick(d.type)}>{d.displayName} <span className="muted">{d.category}</span>{i === 0 && <kbd>Enter</kbd>}</button>
          </li>
        ))}
      </ul>
    </div>
  );
}
