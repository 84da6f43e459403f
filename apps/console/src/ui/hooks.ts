import { useEffect, useEffectEvent, useState } from 'react';
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
  const handle = useEffectEvent(onEvent);
  const changeState = useEffectEvent((next: LiveState) => {
    setState(next);
    if (next === 'signed-out') signOut('Your session has ended. Please sign in again.');
  });
  useEffect(
    () =>
      follow<T>(
        path,
        session.token,
        eventType,
        (data) => handle(data),
        (next) => changeState(next),
      ),
    [path, eventType, session.token],
  );
  return state;
}

/**
 * Runs `load` at once, again every `everyMs` while the tab is in view, and afresh whenever `load` or
 * `refreshKey` changes (new filters, a Refresh button). The signal aborts a load the screen no longer wants.
 */
export function usePoll(load: (signal: AbortSignal) => Promise<void>, everyMs: number, refreshKey = 0): void {
  useEffect(() => {
    const stop = new AbortController();
    void load(stop.signal);
    const timer = setInterval(() => {
      if (!document.hidden) void load(stop.signal);
    }, everyMs);
    return () => {
      clearInterval(timer);
      stop.abort();
    };
  }, [load, everyMs, refreshKey]);
}
