import { createContext, useContext } from 'react';
import type { CurrentUser, Role } from '../api/types';

export const SessionContext = createContext<CurrentUser | null>(null);

export function useSession(): { user: CurrentUser; role: Role; canEdit: boolean; isAdmin: boolean } {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useSession outside a signed-in page');
  const role = user.role as Role;
  return { user, role, canEdit: role === 'editor' || role === 'admin', isAdmin: role === 'admin' };
}
