import { setImmediate as nextTurn } from 'node:timers/promises';
import { MadeAhead } from './made-ahead.js';

const turns = async (count: number) => {
  for (let turn = 0; turn < count; turn += 1) await nextTurn();
};

describe('items made ahead of need', () => {
  it('makes each input once, in order, whether asked for first or made in the background', async () => {
    const made: number[] = [];
    const ahead = new MadeAhead([1, 2, 3, 4, 5], (input) => {
      made.push(input);
      return input * 10;
    });
    expect(ahead.at(1)).toBe(20);
    expect(made).toEqual([1, 2]);
    await turns(10);
    expect(made).toEqual([1, 2, 3, 4, 5]);
    expect(ahead.slice(1, 3)).toEqual([20, 30]);
    expect(ahead.all()).toEqual([10, 20, 30, 40, 50]);
    expect(made).toEqual([1, 2, 3, 4, 5]);
  });

  it('makes the next input while the caller waits on something else, one per turn', async () => {
    const made: number[] = [];
    const ahead = new MadeAhead([1, 2, 3, 4], (input) => made.push(input));
    expect(made).toEqual([]);
    await turns(2);
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(made.length).toBeLessThan(4);
    await turns(10);
    expect(made).toEqual([1, 2, 3, 4]);
    expect(ahead.length).toBe(4);
  });

  it('throws a failing input to whoever asks for it, keeping what was made before it', async () => {
    const ahead = new MadeAhead(['a', 'b', 'boom', 'c'], (input) => {
      if (input === 'boom') throw new Error('cannot make boom');
      return input.toUpperCase();
    });
    await turns(10);
    expect(ahead.slice(0, 2)).toEqual(['A', 'B']);
    expect(() => ahead.at(2)).toThrow('cannot make boom');
    expect(() => ahead.all()).toThrow('cannot make boom');
  });

  it('makes nothing more in the background once stopped', async () => {
    const made: number[] = [];
    const ahead = new MadeAhead([1, 2, 3], (input) => made.push(input));
    ahead.at(0);
    ahead.stop();
    await turns(10);
    expect(made).toEqual([1]);
    expect(ahead.at(2)).toBe(3);
  });
});
