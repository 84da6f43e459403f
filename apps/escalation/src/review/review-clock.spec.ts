import { ConfigService } from '@nestjs/config';
import { EscalationEnvironment } from '../config/escalation-environment';
import { ReviewClock } from './review-clock';
import { ReviewDesk } from './review-desk';
import { ReviewTaskRepository } from './review-task.repository';
import { ReviewTimetable } from './review-timetable.repository';

const SETTINGS: Partial<Record<keyof EscalationEnvironment, number>> = {
  REVIEW_RESCAN_MS: 300_000,
  OUTBOX_GRACE_MS: 5_000,
  TIMER_POLL_MS: 1_000,
};

describe('ReviewClock scans', () => {
  it('scans at start, again once the outbox grace has passed, then every rescan period', async () => {
    const unsettled = jest.fn(async () => []);
    const clock = new ReviewClock(
      { dueTimers: async () => [], unsettled } as unknown as ReviewTaskRepository,
      {
        takeDue: () => [],
        read: async () => ({ decisionIds: [], position: undefined }),
      } as unknown as ReviewTimetable,
      { retryUnpublished: async () => undefined } as unknown as ReviewDesk,
      { get: (key: keyof EscalationEnvironment) => SETTINGS[key] } as unknown as ConfigService<
        EscalationEnvironment,
        true
      >,
    );
    const start = Date.parse('2026-12-02T12:00:00Z');
    const scansAfter = async (seconds: number) => {
      await clock.tick(new Date(start + seconds * 1000));
      return unsettled.mock.calls.length;
    };
    expect(await scansAfter(0)).toBe(1);
    expect(await scansAfter(3)).toBe(1);
    // What a writer killed just before this start left is past its grace now: relayed within seconds.
    expect(await scansAfter(6.5)).toBe(2);
    expect(await scansAfter(60)).toBe(2);
    expect(await scansAfter(6.5 + 299)).toBe(2);
    expect(await scansAfter(6.5 + 300)).toBe(3);
  });
});
