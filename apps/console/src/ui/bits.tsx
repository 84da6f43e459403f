import { ReactNode, useId } from 'react';
import type { LiveState } from '../api/live';
import type { Permission } from '../api/types';

export function TierBadge({ tier }: { tier?: string }) {
  return <span className={`badge tier-${tier ?? 'unknown'}`}>{tier ?? '—'}</span>;
}

const LIVE_LABELS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  'signed-out': 'Signed out',
};

/** Whether the screen is receiving changes as they happen. */
export function LiveIndicator({ state }: { state: LiveState }) {
  return (
    <span className={`live live-${state}`} role="status" aria-live="polite" data-testid="live-state">
      <span aria-hidden="true">●</span> {LIVE_LABELS[state]}
    </span>
  );
}

/**
 * A button for an act the person may or may not take: when the server says they may not, it is disabled and
 * the reason stands beside it, linked for screen readers.
 */
export function ActButton({
  permission,
  onClick,
  children,
  className,
  busy,
}: {
  permission: Permission;
  onClick: () => void;
  children: ReactNode;
  className?: string;
  busy?: boolean;
}) {
  const reasonId = useId();
  const allowed = permission === true;
  return (
    <span className="act">
      <button
        type="button"
        className={className}
        disabled={!allowed || busy}
        aria-describedby={allowed ? undefined : reasonId}
        onClick={onClick}
      >
        {children}
      </button>
      {!allowed && (
        <span className="why-not" id={reasonId}>
          {permission}
        </span>
      )}
    </span>
  );
}

/** What went wrong, in the gateway's words, with each refused field. */
export function ErrorNotice({
  error,
}: {
  error?: { message: string; problems?: { field: string; reason: string }[] };
}) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      <p>{error.message}</p>
      {error.problems && error.problems.length > 0 && (
        <ul>
          {error.problems.map((problem) => (
            <li key={problem.field}>
              <code>{problem.field}</code>: {problem.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function when(iso?: string): string {
  return iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' }) : '—';
}
