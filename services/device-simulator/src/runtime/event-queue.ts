import type { PublishEvent } from '../quirks/publish-event';

interface Entry {
  readonly event: PublishEvent;
  readonly seq: number;
}

/** Min-heap on publish time; equal times leave in insertion order, which keeps seeded runs reproducible. */
export class PublishQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(event: PublishEvent): void {
    this.heap.push({ event, seq: this.seq++ });
    this.siftUp(this.heap.length - 1);
  }

  peekTime(): number | null {
    return this.heap[0]?.event.publishAtMs ?? null;
  }

  /** Removes and returns the earliest event if it is due at or before nowMs. */
  popDue(nowMs: number): PublishEvent | null {
    const top = this.heap[0];
    if (!top || top.event.publishAtMs > nowMs) return null;
    const last = this.heap.pop() as Entry;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top.event;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a] as Entry;
    const y = this.heap[b] as Entry;
    return x.event.publishAtMs < y.event.publishAtMs || (x.event.publishAtMs === y.event.publishAtMs && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const t = this.heap[a] as Entry;
    this.heap[a] = this.heap[b] as Entry;
    this.heap[b] = t;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < this.heap.length && this.less(l, smallest)) smallest = l;
      if (r < this.heap.length && this.less(r, smallest)) smallest = r;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
