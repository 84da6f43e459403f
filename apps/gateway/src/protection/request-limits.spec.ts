import { ExecutionContext } from '@nestjs/common';
import { ThrottlerOptions } from '@nestjs/throttler';
import { Identity } from '@oversight/auth';
import { callerTracker, ipTracker, limitDescription, throttlerOptions } from './request-limits';
import { refusalOf, markRefusal } from './refusals';

const limits = { perIp: 100, perUser: 10, perService: 50, signInPerIp: 5 };
const person: Identity = { subject: 'sue', roles: ['reviewer'], kind: 'user' };
const system: Identity = { subject: 'crm', roles: ['upstream'], kind: 'service' };

function contextFor(request: object, handler: () => void = () => undefined): ExecutionContext {
  return {
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => handler,
    getClass: () => Object,
  } as unknown as ExecutionContext;
}

function throttler(name: string): ThrottlerOptions {
  const options = throttlerOptions(limits);
  const found = (Array.isArray(options) ? options : options.throttlers).find((t) => t.name === name);
  if (!found) throw new Error(`no ${name} throttler`);
  return found;
}

describe('request limits', () => {
  it.each<[string, object, string | undefined]>([
    ['a person', { identity: person, ip: '10.0.0.1' }, 'user:sue'],
    ['a system', { identity: system, ip: '10.0.0.1' }, 'service:crm'],
    ['no caller yet', { ip: '10.0.0.1' }, undefined],
  ])('counts %s against its caller', (_name, request, expected) => {
    expect(callerTracker(request)).toBe(expected);
  });

  it('counts an address by itself', () => {
    expect(ipTracker({ ip: '2001:db8::1' })).toBe('ip:2001:db8::1');
  });

  it.each<[string, object, number]>([
    ['a person', { identity: person }, 10],
    ['a system', { identity: system }, 50],
  ])('gives %s its allowance', async (_name, request, expected) => {
    const limit = throttler('caller').limit as (context: ExecutionContext) => number;
    expect(limit(contextFor(request))).toBe(expected);
  });

  it('skips the caller limit where there is no caller, and the sign-in limit off the sign-in endpoint', () => {
    expect(throttler('caller').skipIf?.(contextFor({ ip: '10.0.0.1' }))).toBe(true);
    expect(throttler('caller').skipIf?.(contextFor({ identity: person }))).toBe(false);
    expect(throttler('sign-in').skipIf?.(contextFor({ ip: '10.0.0.1' }))).toBe(true);
  });

  it('keys an allowance by limit and tracker, the same on every route', () => {
    const options = throttlerOptions(limits);
    const key = !Array.isArray(options) ? options.generateKey : undefined;
    const onRoute = (handler: () => void) => key?.(contextFor({}, handler), 'user:sue', 'caller');
    expect(
      onRoute(function list() {
        return 'list';
      }),
    ).toBe(
      onRoute(function approve() {
        return 'approve';
      }),
    );
    expect(key?.(contextFor({}), 'user:sue', 'caller')).not.toBe(key?.(contextFor({}), 'user:sue', 'ip'));
    expect(
      onRoute(function list() {
        return 'list';
      }),
    ).not.toContain('sue');
  });

  it.each<[Parameters<typeof limitDescription>[0], string]>([
    ['ip', '100 requests per minute from one address'],
    ['sign-in', '100 sign-in attempts per minute from one address'],
    ['caller', '100 requests per minute for one caller'],
  ])('describes the %s limit', (name, expected) => {
    expect(limitDescription(name, 100)).toBe(expected);
  });

  it.each<[string, number, string | undefined, string | undefined]>([
    ['a marked refusal', 429, 'rate-limit-ip', 'rate-limit-ip'],
    ['a 401', 401, undefined, 'unauthenticated'],
    ['a 403', 403, undefined, 'forbidden'],
    ['a 404', 404, undefined, undefined],
    ['a success', 200, undefined, undefined],
  ])('names the refusal of %s', (_name, status, marked, expected) => {
    const request = {};
    if (marked) markRefusal(request, marked as never);
    expect(refusalOf(request, status)).toBe(expected);
  });
});
