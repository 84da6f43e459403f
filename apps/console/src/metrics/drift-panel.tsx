import { useCallback, useMemo, useState } from 'react';
import { ApiError, asApiError, clearDriftEpisode, fetchDriftEpisodes } from '../api/gateway';
import type { DriftEpisode } from '../api/types';
import { useSession } from '../session/session';
import { ErrorNotice, when } from '../ui/bits';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { usePoll } from '../ui/hooks';
import { count, decimal, METRICS_REFRESH_MS, overrideShift, splitEpisodes } from './metrics-rules';

function OpenEpisode({ episode, onClear }: { episode: DriftEpisode; onClear?: () => void }) {
  const fn = episode.businessFunction;
  return (
    <li
      className="episode"
      data-testid="drift-episode"
      data-business-function={fn}
      data-episode={episode.episode}
    >
      <div className="title-row">
        <h3>
          {fn} <span className="muted small">episode {episode.episode}</span>
        </h3>
        {onClear && (
          <button type="button" onClick={onClear}>
            Clear…
          </button>
        )}
      </div>
      <p data-testid="drift-routing">
        {episode.tightened ? (
          <strong className="tightened">
            Routing tightened: {fn} decisions go to review instead of running on their own until this is
            cleared.
          </strong>
        ) : (
          'Routing not tightened: decisions route by the policy as before.'
        )}
      </p>
      <dl className="pairs">
        <div className="pair">
          <dt>Detected</dt>
          <dd>{when(episode.detectedAt)}</dd>
        </div>
        <div className="pair">
          <dt>Override rate</dt>
          <dd data-testid="drift-override">
            {overrideShift(episode)}{' '}
            <span className="muted small">
              (baseline {count(episode.baseline.labels, 'label')}, now{' '}
              {count(episode.current.labels, 'label')})
            </span>
          </dd>
        </div>
        <div className="pair">
          <dt>
            <abbr title="population stability index">PSI</abbr> of confidence
          </dt>
          <dd data-testid="drift-psi">{decimal(episode.psi)}</dd>
        </div>
        <div className="pair">
          <dt>Why</dt>
          <dd>
            <ul className="reasons">
              {episode.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
    </li>
  );
}

/**
 * Drift episodes, open ones first and prominent. A supervisor or admin clears an open one (with a reason for
 * the audit trail); the gateway accepts the clear (202) and the next load shows it cleared.
 */
export function DriftPanel({
  refreshKey,
  onCleared,
  onSeen,
}: {
  refreshKey: number;
  /** After a clear: reload what depends on it (this panel and the metrics' drift count). */
  onCleared(): void;
  onSeen(episodes: DriftEpisode[]): void;
}) {
  const { call, hasRole } = useSession();
  const [episodes, setEpisodes] = useState<DriftEpisode[]>();
  const [error, setError] = useState<ApiError>();
  const [clearing, setClearing] = useState<DriftEpisode>();
  const [done, setDone] = useState<string>();

  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        const answer = await fetchDriftEpisodes(call, signal);
        setEpisodes(answer);
        onSeen(answer);
        setError(undefined);
      } catch (caught) {
        if (!signal.aborted) setError(asApiError(caught));
      }
    },
    [call, onSeen],
  );
  usePoll(load, METRICS_REFRESH_MS, refreshKey);
  const { open, cleared } = useMemo(() => splitEpisodes(episodes ?? []), [episodes]);
  const mayClear = hasRole('supervisor', 'admin');

  const clear = async (reason: string) => {
    if (!clearing) return;
    try {
      const answer = await clearDriftEpisode(call, clearing.businessFunction, reason);
      setDone(`Drift episode ${answer.episode} of ${answer.businessFunction} cleared.`);
      setError(undefined);
      // The clear is accepted, then applied: reload a moment later, as the stop button does.
      setTimeout(onCleared, 500);
    } catch (caught) {
      setDone(undefined);
      setError(asApiError(caught));
    }
    setClearing(undefined);
  };

  return (
    <section
      aria-labelledby="drift-title"
      className={`card${open.length ? ' drift-alert' : ''}`}
      data-testid="drift-panel"
      data-open={open.length}
    >
      <h2 id="drift-title">Drift{open.length ? ` (${open.length} open)` : ''}</h2>
      <p className="done" role="status" data-testid="drift-outcome">
        {done}
      </p>
      <ErrorNotice error={error} />
      {episodes === undefined ? (
        !error && <p role="status">Loading drift episodes…</p>
      ) : open.length === 0 ? (
        <p data-testid="no-drift">No open drift episode.</p>
      ) : (
        <ul className="episodes" data-testid="drift-open">
          {open.map((episode) => (
            <OpenEpisode
              key={`${episode.businessFunction}-${episode.episode}`}
              episode={episode}
              onClear={mayClear ? () => setClearing(episode) : undefined}
            />
          ))}
        </ul>
      )}
      {cleared.length > 0 && (
        <>
          <h3 className="muted">Cleared</h3>
          <ul className="cleared muted small" data-testid="drift-cleared">
            {cleared.map((episode) => (
              <li
                key={`${episode.businessFunction}-${episode.episode}`}
                data-testid="drift-cleared-episode"
                data-business-function={episode.businessFunction}
              >
                <strong>{episode.businessFunction}</strong> episode {episode.episode}: detected{' '}
                {when(episode.detectedAt)}, override rate {overrideShift(episode)}; cleared{' '}
                {when(episode.clearedAt)}
                {episode.clearedBy ? ` by ${episode.clearedBy}` : ''}
                {episode.clearReason ? `: ${episode.clearReason}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {clearing && (
        <ConfirmDialog
          title={`Clear drift of ${clearing.businessFunction}?`}
          confirmLabel="Clear the drift episode"
          tone="primary"
          onConfirm={clear}
          onClose={() => setClearing(undefined)}
        >
          <p>
            Episode {clearing.episode} ends and a new baseline starts.
            {clearing.tightened
              ? ` ${clearing.businessFunction} decisions stop going to review because of drift and route by the policy again.`
              : ''}{' '}
            Clear it when the cause is understood (a new model version, a changed population, a fixed bug).
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
