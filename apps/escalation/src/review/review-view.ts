import { Actor } from '@oversight/contracts';
import { approve, claim, liveClaim, quorum, reject, release, ReviewTask } from './review-task';

/** Whether the caller may do each act now, and if not, why: what a console shows beside a disabled button. */
export interface AvailableActs {
  claim: true | string;
  release: true | string;
  approve: true | string;
  reject: true | string;
  edit: true | string;
}

export interface ReviewTaskView extends Omit<ReviewTask, 'claim'> {
  /** `claimed` only while the lease holds. */
  status: ReviewTask['status'];
  claim?: { by: string; until: Date };
  quorum: { given: number; required: number };
  youMay: AvailableActs;
}

/** The task as a caller sees it at `now`, with what they may do to it, found by trying each act without keeping it. */
export function viewOf(task: ReviewTask, actor: Actor, now: Date, leaseMs: number): ReviewTaskView {
  const held = liveClaim(task, now);
  const status = task.status === 'claimed' && !held ? 'open' : task.status;
  const attempt = (acted: ReturnType<typeof approve>) => (acted.ok ? true : acted.refusal.message);
  const approval = attempt(approve(task, actor, now));
  const { claim: _claim, ...rest } = task;
  return {
    ...rest,
    status,
    ...(held ? { claim: held } : {}),
    quorum: quorum(task),
    youMay: {
      claim: attempt(claim(task, actor, now, leaseMs)),
      release: attempt(release(task, actor, now)),
      approve: approval,
      reject: attempt(reject(task, actor, now, 'other', 'check')),
      // An edit ends in the editor's approval: whoever may not approve may not edit.
      edit: task.kind === 'blocking' ? approval : 'an after-the-fact sample cannot be edited',
    },
  };
}
