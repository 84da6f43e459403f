import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { api, ApiError, RequestOptions } from '../api/gateway';
import type { SignedIn } from '../api/types';

const STORAGE_KEY = 'oversight.session';

interface SessionValue {
  session?: SignedIn;
  /** Why the last session ended, when it was not the person's choice (shown on the sign-in page). */
  endedBecause?: string;
  signIn(user: string, password: string): Promise<void>;
  signOut(reason?: string): void;
  /** A call with the session's token; a 401 ends the session (expired or revoked token). */
  call<T>(path: string, options?: Omit<RequestOptions, 'token'>): Promise<T>;
  hasRole(...roles: string[]): boolean;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

function stored(): SignedIn | undefined {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as SignedIn | null;
    return session && Date.parse(session.expiresAt) > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The signed-in person. The token lives in this tab's sessionStorage: a reload keeps the person signed in,
 * closing the tab signs them out, and another tab can be another person (two reviewers on one laptop).
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SignedIn | undefined>(stored);
  const [endedBecause, setEndedBecause] = useState<string>();

  const signOut = useCallback((reason?: string) => {
    sessionStorage.removeItem(STORAGE_KEY);
    setSession(undefined);
    setEndedBecause(reason);
  }, []);

  const signIn = useCallback(async (user: string, password: string) => {
    const signedIn = await api<SignedIn>('/v1/sessions', { method: 'POST', body: { user, password } });
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(signedIn));
    setEndedBecause(undefined);
    setSession(signedIn);
  }, []);

  const call = useCallback(
    async <T,>(path: string, options: Omit<RequestOptions, 'token'> = {}) => {
      try {
        return await api<T>(path, { ...options, token: session?.token });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          signOut('Your session has ended (the token expired or is no longer valid). Please sign in again.');
        }
        throw error;
      }
    },
    [session, signOut],
  );

  const value = useMemo<SessionValue>(
    () => ({
      session,
      endedBecause,
      signIn,
      signOut,
      call,
      hasRole: (...roles) => roles.some((role) => session?.user.roles.includes(role)),
    }),
    [session, endedBecause, signIn, signOut, call],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue & { session: SignedIn } {
  const value = useContext(SessionContext);
  if (!value?.session) throw new Error('useSession needs a signed-in person (inside the signed-in layout)');
  return value as SessionValue & { session: SignedIn };
}

export function useOptionalSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useOptionalSession must be used inside SessionProvider');
  return value;
}
