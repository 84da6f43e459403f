import { useCallback, useState } from 'react';
import { ApiError, asApiError, fetchThresholdSuggestions } from '../api/gateway';
import type { ThresholdSuggestionView } from '../api/types';
import { useSession } from '../session/session';
import { ErrorNotice } from '../ui/bits';
import { usePoll } from '../ui/hooks';
import { percent, suggestionDirection, thresholdValue } from './metrics-rules';

/** Suggestions rest on the whole labelled history: they move slowly, so they reload once a minute. */
const SUGGESTIONS_REFRESH_MS = 60_000;

/**
 * What the labelled history suggests for each function's confidence threshold. Read-only on purpose: a
 * threshold changes only with a new policy version, which goes through the regression suites.
 */
export function ThresholdSuggestions({
  businessFunction,
  refreshKey,
  onSeen,
}: {
  businessFunction: string;
  refreshKey: number;
  onSeen(suggestions: ThresholdSuggestionView[]): void;
}) {
  const { call } = useSession();
  const [suggestions, setSuggestions] = useState<ThresholdSuggestionView[]>();
  const [error, setError] = useState<ApiError>();

  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        const answer = await fetchThresholdSuggestions(call, businessFunction || undefined, signal);
        setSuggestions(answer);
        onSeen(answer);
        setError(undefined);
      } catch (caught) {
        if (!signal.aborted) setError(asApiError(caught));
      }
    },
    [call, businessFunction, onSeen],
  );
  usePoll(load, SUGGESTIONS_REFRESH_MS, refreshKey);

  return (
    <section aria-labelledby="suggestions-title" className="card" data-testid="threshold-suggestions">
      <h2 id="suggestions-title">Threshold suggestions</h2>
      <p className="notice" data-testid="suggestions-apply-note">
        A suggestion changes nothing by itself, and this screen cannot apply it. To apply one, publish a new
        version of the policy with the suggested threshold (
        <code>npm run control -- publish-policy &lt;file.yaml&gt; --by &lt;you&gt;</code>), which runs the
        regression suites before the version takes effect.
      </p>
      <ErrorNotice error={error} />
      {suggestions === undefined ? (
        !error && <p role="status">Loading suggestions…</p>
      ) : suggestions.length === 0 ? (
        <p className="empty" data-testid="no-suggestions">
          No suggestion yet{businessFunction ? ` for ${businessFunction}` : ''}: suggestions need labelled
          decisions (people's answers) to rest on.
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">
              Suggested confidence and amount thresholds for auto, per business function and action
            </caption>
            <thead>
              <tr>
                <th scope="col">Function · action</th>
                <th scope="col">Policy</th>
                <th scope="col" className="num">
                  Current
                </th>
                <th scope="col" className="num">
                  Suggested
                </th>
                <th scope="col" className="num">
                  Target override rate
                </th>
                <th scope="col" className="num">
                  Override rate at current
                </th>
                <th scope="col" className="num">
                  Override rate at suggested
                </th>
                <th scope="col" className="num">
                  To auto
                </th>
                <th scope="col" className="num">
                  To review
                </th>
                <th scope="col" className="num">
                  Labels
                </th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {suggestions.map((suggestion) => {
                const { direction, words } = suggestionDirection(suggestion);
                return (
                  <tr
                    key={`${suggestion.businessFunction}/${suggestion.actionType}/${suggestion.kind ?? 'confidence'}`}
                    data-testid="suggestion"
                    data-business-function={suggestion.businessFunction}
                    data-action-type={suggestion.actionType}
                    data-direction={direction}
                    data-kind={suggestion.kind ?? 'confidence'}
                  >
                    <td>
                      {suggestion.businessFunction}
                      <div className="muted small">
                        {suggestion.actionType} · {suggestion.kind === 'amount' ? 'amount' : 'confidence'}
                      </div>
                    </td>
                    <td>
                      {suggestion.policy.policyId} <span className="muted">v{suggestion.policy.version}</span>
                    </td>
                    <td className="num">{thresholdValue(suggestion, suggestion.current)}</td>
                    <td className="num" data-testid="suggested">
                      <strong>{thresholdValue(suggestion, suggestion.suggested)}</strong>
                    </td>
                    <td className="num">{percent(suggestion.targetOverrideRate)}</td>
                    <td className="num">{percent(suggestion.overrideRateAtCurrent)}</td>
                    <td className="num">{percent(suggestion.overrideRateAtSuggested)}</td>
                    <td className="num">{suggestion.toAuto}</td>
                    <td className="num">{suggestion.toReview}</td>
                    <td className="num">{suggestion.labels}</td>
                    <td>
                      <span data-testid="suggestion-change">{suggestion.change}</span>
                      <div className="muted small">{words}</div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted small">
            To auto, to review: how many of the routed decisions the suggested threshold would have moved from
            review to auto, or from auto to review.
          </p>
        </div>
      )}
    </section>
  );
}
