import { EventStreamContentType, fetchEventSource } from '@microsoft/fetch-event-source';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'signed-out';

class SignedOut extends Error {}

/**
 * Follows one of the gateway's server-sent event streams. EventSource cannot send an Authorization header,
 * so the stream is read with fetch; a dropped connection is retried with backoff, a 401 ends it.
 * Returns the function that stops following.
 */
export function follow<T>(
  path: string,
  token: string,
  eventType: string,
  onEvent: (data: T) => void,
  onState: (state: LiveState) => void,
): () => void {
  const stop = new AbortController();
  let delayMs = 1_000;
  onState('connecting');
  void fetchEventSource(path, {
    headers: { authorization: `Bearer ${token}` },
    signal: stop.signal,
    openWhenHidden: true,
    async onopen(response) {
      if (response.status === 401) throw new SignedOut();
      if (!response.ok || !response.headers.get('content-type')?.startsWith(EventStreamContentType)) {
        throw new Error(`the live feed answered ${response.status}`);
      }
      delayMs = 1_000;
      onState('live');
    },
    onmessage(message) {
      if (message.event === eventType) onEvent(JSON.parse(message.data) as T);
    },
    onclose() {
      onState('reconnecting');
      throw new Error('the live feed closed');
    },
    onerror(error) {
      if (error instanceof SignedOut) {
        onState('signed-out');
        throw error;
      }
      onState('reconnecting');
      delayMs = Math.min(delayMs * 2, 30_000);
      return delayMs;
    },
  }).catch(() => undefined);
  return () => stop.abort();
}
