import { HttpException } from '@nestjs/common';
import { Identity } from '@oversight/auth';
import { LiveFeedConnections } from './live-feed-connections';
import { refusalOf } from './refusals';

const sue: Identity = { subject: 'sue', roles: ['reviewer'], kind: 'user' };
const vera: Identity = { subject: 'vera', roles: ['supervisor'], kind: 'user' };

describe('LiveFeedConnections', () => {
  it('admits a caller up to the cap, then refuses with a 429 until one closes', () => {
    const feeds = new LiveFeedConnections(2);
    const first = feeds.admit(sue, {});
    feeds.admit(sue, {});
    const request = {};
    expect(() => feeds.admit(sue, request)).toThrow(HttpException);
    expect(refusalOf(request, 429)).toBe('live-feed-cap');
    // Someone else has places of their own.
    expect(() => feeds.admit(vera, {})).not.toThrow();
    first();
    // Closing twice frees one place only.
    first();
    expect(() => feeds.admit(sue, {})).not.toThrow();
    expect(() => feeds.admit(sue, {})).toThrow(/sue already has 2 live feeds open/);
  });
});
