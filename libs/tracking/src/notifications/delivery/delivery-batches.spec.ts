import { DeliveryBatches } from './delivery-batches.js';
import type { DeliveryRound } from './webhook-deliverer.js';

const round = (delivered: number): DeliveryRound => ({ delivered, failed: 0, nextDueAt: null });

/** A pass that ends when the test says so, remembering which subscriptions it was given. */
const controlledPasses = () => {
  const passes: { ids: string[]; finish: (error?: Error) => void }[] = [];
  const deliverMany = (ids: string[]) =>
    new Promise<Map<string, DeliveryRound | null>>((resolve, reject) => {
      passes.push({
        ids,
        finish: (error) => (error ? reject(error) : resolve(new Map(ids.map((id, index) => [id, round(index + 1)])))),
      });
    });
  return { passes, deliverMany };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('DeliveryBatches', () => {
  it('starts a pass at once for each delivery while sessions are free', async () => {
    const { passes, deliverMany } = controlledPasses();
    const batches = new DeliveryBatches(deliverMany, 2);
    const first = batches.deliver('a');
    const second = batches.deliver('b');
    expect(passes.map((pass) => pass.ids)).toEqual([['a'], ['b']]);
    passes[0]!.finish();
    passes[1]!.finish();
    await expect(first).resolves.toEqual(round(1));
    await expect(second).resolves.toEqual(round(1));
  });

  it('gathers what arrives while every session is busy into one pass, started when one ends', async () => {
    const { passes, deliverMany } = controlledPasses();
    const batches = new DeliveryBatches(deliverMany, 1);
    const first = batches.deliver('a');
    const waiting = ['b', 'c', 'd'].map((id) => batches.deliver(id));
    expect(passes).toHaveLength(1);
    passes[0]!.finish();
    await first;
    await settle();
    expect(passes.map((pass) => pass.ids)).toEqual([['a'], ['b', 'c', 'd']]);
    passes[1]!.finish();
    await expect(Promise.all(waiting)).resolves.toEqual([round(1), round(2), round(3)]);
  });

  it("takes a group's subscriptions into one pass, and answers each one's round", async () => {
    const { passes, deliverMany } = controlledPasses();
    const batches = new DeliveryBatches(deliverMany, 2);
    const group = batches.deliverGroup(['a', 'b', 'c']);
    expect(passes.map((pass) => pass.ids)).toEqual([['a', 'b', 'c']]);
    passes[0]!.finish();
    await expect(group).resolves.toEqual(
      new Map([
        ['a', round(1)],
        ['b', round(2)],
        ['c', round(3)],
      ]),
    );
  });

  it('fails every delivery of a pass that fails, and goes on with the next', async () => {
    const { passes, deliverMany } = controlledPasses();
    const batches = new DeliveryBatches(deliverMany, 1);
    const first = batches.deliver('a');
    const second = batches.deliver('b');
    passes[0]!.finish(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await settle();
    passes[1]!.finish();
    await expect(second).resolves.toEqual(round(1));
  });

  it('answers null for a subscription the pass did not take (another worker holds it)', async () => {
    const batches = new DeliveryBatches(async (ids) => new Map(ids.map((id) => [id, null])), 1);
    await expect(batches.deliver('a')).resolves.toBeNull();
  });
});
