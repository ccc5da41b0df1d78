import { createContext, ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { currentSession, login, logout, onSessionChange, Session, SessionUser } from '../api/client';

interface Auth {
  user: SessionUser | null;
  login: (username: string, password: string) => Promise<Session>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** The signed-in user; follows the session store, so a failed refresh signs the tab out. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(() => currentSession()?.user ?? null);
  useEffect(() => onSessionChange((s) => setUser(s?.user ?? null)), []);
  const value = useMemo<Auth>(() => ({ user, login, logout }), [user]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in user, for pages that only render when someone is signed in. */
export function useUser(): SessionUser {
  const { user } = useAuth();
  if (!user) throw new Error('no user signed in');
  return user;
}
