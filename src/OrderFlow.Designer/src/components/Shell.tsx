import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { api } from '../api/client';
import { keys, useIncidents } from '../api/queries';
import { useSession } from './Session';

/** The console's frame: navigation on the left, the page on the right. */
export function Shell({ children }: { children: ReactNode }) {
  const { user, isAdmin } = useSession();
  const client = useQueryClient();
  const incidents = useIncidents();
  const open = incidents.data?.length ?? 0;
  const signOut = async () => {
    await api.POST('/api/auth/logout');
    client.setQueryData(keys.me, null);
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  };
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand"><span className="brand-mark">◆</span> OrderFlow</div>
        <NavLink to="/orders">Orders</NavLink>
        <NavLink to="/incidents">Incidents {open > 0 && <span className="count" data-testid="incident-count">{open}</span>}</NavLink>
        <NavLink to="/instances">Instances</NavLink>
        <NavLink to="/workflows">Workflows</NavLink>
        <NavLink to="/merchants">Merchants</NavLink>
        <NavLink to="/suppliers">Suppliers</NavLink>
        <div className="sidebar-spacer" />
        {isAdmin && <a href="/hangfire" target="_blank" rel="noreferrer">Background jobs ↗</a>}
        <a href="/api/docs" target="_blank" rel="noreferrer">API reference ↗</a>
        <div className="user" data-testid="current-user">
          <div><strong>{user.name}</strong> <span className="muted">{user.role}</span></div>
          <button type="button" className="link" onClick={() => void signOut()}>Sign out</button>
        </div>
      </nav>
      <main className="main">{children}</main>
    </div>
  );
}
