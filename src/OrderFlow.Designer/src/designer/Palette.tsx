import { useMemo, useState } from 'react';
import type { ActivityDescriptor } from '../api/types';
import { categoryColor, firstMatch, paletteGroups } from '../model/palette';

export const DND_TYPE = 'application/x-orderflow-activity';

interface Props {
  descriptors: ReadonlyMap<string, ActivityDescriptor>;
  hasStart: boolean;
  onAdd: (type: string) => void;
}

/** Activities to drag onto the canvas, grouped by category; search and Enter adds the best match. */
export function Palette({ descriptors, hasStart, onAdd }: Props) {
  const [search, setSearch] = useState('');
  const groups = useMemo(() => paletteGroups(descriptors.values(), search, hasStart), [descriptors, search, hasStart]);
  const enterTarget = search.trim() ? firstMatch(groups, search)?.type : undefined;
  return (
    <aside className="palette" aria-label="Activity palette">
      <input
        className="palette-search"
        type="search"
        placeholder="Search… (Enter adds)"
        aria-label="Search activities"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          const match = firstMatch(groups, search);
          if (match) {
            onAdd(match.type);
            setSearch('');
          }
        }}
      />
      <div className="palette-groups">
        {groups.map(([category, list]) => (
          <section key={category} className="palette-group">
            <h3 style={{ color: categoryColor(category) }}>{category}</h3>
            {list.map((d) => (
              <div
                key={d.type}
                className={`palette-item${d.type === enterTarget ? ' enter-target' : ''}`}
                draggable
                tabIndex={0}
                role="button"
                data-type={d.type}
                title={`${d.description ?? ''}\nDrag onto the canvas, or press Enter`}
                style={{ ['--cat' as string]: categoryColor(category) }}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DND_TYPE, d.type);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onDoubleClick={() => onAdd(d.type)}
                onKeyDown={(e) => e.key === 'Enter' && onAdd(d.type)}
              >
                <span className="palette-name">{d.displayName}</span>
                {d.description && <span className="palette-desc">{d.description}</span>}
              </div>
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className="muted">No activity matches “{search}”.</p>}
      </div>
    </aside>
  );
}
