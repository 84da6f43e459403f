import { ConfigService } from '@nestjs/config';
import { EscalationEnvironment } from '../config/escalation-environment';
import { ReviewClock } from './review-clock';
import { ReviewDesk } from './review-desk';
import { ReviewTaskRepository } from './review-task.repository';
import { ReviewTimetable } from './review-timetable.repository';

const SETTINGS: Partial<Record<keyof EscalationEnvironment, number>> = {
  REVIEW_RESCAN_MS: 300_000,
  OUTBOX_GRACE_MS: 5_000,
  OUTBOX_RESCAN_MS: 30_000,
  TIMER_POLL_MS: 1_000,
};

describe('ReviewClock scans', () => {
  const dueTimers = jest.fn(async () => []);
  const unsettled = jest.fn(async () => []);
  const clock = new ReviewClock(
    { dueTimers, unsettled } as unknown as ReviewTaskRepository,
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

  it('scans for due timers at start and every rescan period, and for left outboxes every outbox period', async () => {
    const scansAfter = async (seconds: number) => {
      await clock.tick(new Date(start + seconds * 1000));
      return { timers: dueTimers.mock.calls.length, outboxes: unsettled.mock.calls.length };
    };
    expect(await scansAfter(0)).toEqual({ timers: 1, outboxes: 1 });
    expect(await scansAfter(29)).toEqual({ timers: 1, outboxes: 1 });
    // An act written just after a restart whose publish never came back waits at most this long.
    expect(await scansAfter(30)).toEqual({ timers: 1, outboxes: 2 });
    expect(await scansAfter(61)).toEqual({ timers: 1, outboxes: 3 });
    expect(await scansAfter(300)).toEqual({ timers: 2, outboxes: 4 });
  });

  it('relays only what outlived its grace', async () => {
    unsettled.mockClear();
    await clock.tick(new Date(start + 400_000));
    expect(unsettled).toHaveBeenCalledWith(new Date(start + 400_000 - 5_000), 100);
  });
});
