import fc from 'fast-check';
import { FollowUpQueue } from './follow-up-queue';

describe('FollowUpQueue', () => {
  function drain(queue: FollowUpQueue): string[] {
    const out: string[] = [];
    for (let emit = queue.pop(); emit !== undefined; emit = queue.pop()) out.push(emit(0).type);
    return out;
  }

  function push(queue: FollowUpQueue, due: number, label: string): void {
    queue.push(due, () => ({ type: label, actor: { type: 'system', id: 'test' } }));
  }

  it('gives out the soonest first and reports the soonest due time', () => {
    const queue = new FollowUpQueue();
    expect(queue.peekDue()).toBe(Infinity);
    push(queue, 30, 'c');
    push(queue, 10, 'a');
    push(queue, 20, 'b');
    expect(queue.size).toBe(3);
    expect(queue.peekDue()).toBe(10);
    expect(drain(queue)).toEqual(['a', 'b', 'c']);
    expect(queue.pop()).toBeUndefined();
  });

  it('gives out follow-ups due at the same time in the order they came in', () => {
    const queue = new FollowUpQueue();
    for (const label of ['first', 'second', 'third', 'fourth']) push(queue, 5, label);
    push(queue, 1, 'early');
    expect(drain(queue)).toEqual(['early', 'first', 'second', 'third', 'fourth']);
  });

  it('orders any sequence of pushes and pops like a stable sort', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant('pop' as const)), { maxLength: 3000 }),
        (operations) => {
          const queue = new FollowUpQueue();
          const model: Array<{ due: number; label: string }> = [];
          operations.forEach((operation, index) => {
            if (operation === 'pop') {
              model.sort((a, b) => a.due - b.due || Number(a.label) - Number(b.label));
              const expected = model.shift();
              expect(queue.pop()?.(0).type).toBe(expected?.label);
            } else {
              push(queue, operation, String(index));
              model.push({ due: operation, label: String(index) });
            }
          });
          model.sort((a, b) => a.due - b.due || Number(a.label) - Number(b.label));
          expect(drain(queue)).toEqual(model.map((entry) => entry.label));
        },
      ),
      { numRuns: 50 },
    );
  });
});
