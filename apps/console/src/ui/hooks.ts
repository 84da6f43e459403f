import { useEffect, useRef, useState } from 'react';
import { follow, LiveState } from '../api/live';
import { useSession } from '../session/session';

/** The current time, ticking every `everyMs`, for countdowns. */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Follows a server-sent event stream of the gateway for as long as the screen is open. */
export function useLive<T>(path: string, eventType: string, onEvent: (data: T) => void): LiveState {
  const { session, signOut } = useSession();
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(
    () =>
      follow<T>(
        path,
        session.token,
        eventType,
        (data) => handler.current(data),
        (next) => {
          setState(next);
          if (next === 'signed-out') signOut('Your session has ended. Please sign in again.');
        },
      ),
    [path, eventType, session.token, signOut],
  );
  return state;
}
