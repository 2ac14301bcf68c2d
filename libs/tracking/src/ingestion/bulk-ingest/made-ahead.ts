import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Items made from inputs in order, ahead of need: one per turn of the event loop in the background,
 * or at once when one is asked for that is not made yet. The bulk path parses this way, so that while
 * it waits on the database for one transaction the next transaction's documents are being parsed.
 */
export class MadeAhead<Input, Item> {
  private readonly made: Item[] = [];
  private stopped = false;

  constructor(
    private readonly inputs: readonly Input[],
    private readonly make: (input: Input) => Item,
  ) {
    void this.makeInBackground();
  }

  get length(): number {
    return this.inputs.length;
  }

  /** The item of input `index`, made now if the background has not reached it. */
  at(index: number): Item {
    while (this.made.length <= index) this.makeNext();
    return this.made[index]!;
  }

  /** The items of inputs `start` to `end` (exclusive). */
  slice(start: number, end: number): Item[] {
    if (end > start) this.at(end - 1);
    return this.made.slice(start, end);
  }

  /** Every item, in the inputs' order. */
  all(): Item[] {
    if (this.inputs.length > 0) this.at(this.inputs.length - 1);
    return this.made;
  }

  /** Makes no more in the background (those asked for are still made). */
  stop(): void {
    this.stopped = true;
  }

  private makeNext(): void {
    this.made.push(this.make(this.inputs[this.made.length]!));
  }

  private async makeInBackground(): Promise<void> {
    await nextTurn();
    while (!this.stopped && this.made.length < this.inputs.length) {
      try {
        this.makeNext();
      } catch {
        // Left for `at`, which makes that input again and throws to whoever asked for it.
        return;
      }
      await nextTurn();
    }
  }
}
