/**
 * A read-only map seen through a small layer of replaced and added entries: what an updated trace
 * graph is made of after a few records changed (src/graph/graph.ts, `TraceGraph.after`). Copying a
 * 100,000-entry map costs 50–100 ms; a layer costs what it holds. The layer never removes a key,
 * so the base's keys and their order stay; keys added in the layer come after them.
 */
export class LayeredMap<K, V> implements ReadonlyMap<K, V> {
  readonly #base: ReadonlyMap<K, V>;
  readonly #top: ReadonlyMap<K, V>;
  readonly #added: number;

  private constructor(base: ReadonlyMap<K, V>, top: ReadonlyMap<K, V>) {
    this.#base = base;
    this.#top = top;
    let added = 0;
    for (const key of top.keys()) if (!base.has(key)) added++;
    this.#added = added;
  }

  /**
   * `base` with `changes` laid over it. Over a layered map the layers are merged (one level deep,
   * whatever the number of updates): the new layer is the old one plus `changes`.
   */
  static over<K, V>(base: ReadonlyMap<K, V>, changes: ReadonlyMap<K, V>): LayeredMap<K, V> {
    if (base instanceof LayeredMap) {
      const top = new Map<K, V>(base.#top as Map<K, V>);
      for (const [key, value] of changes) top.set(key, value);
      return new LayeredMap<K, V>(base.#base, top);
    }
    return new LayeredMap(base, changes);
  }

  /** Entries in the layer: how far this map has drifted from its base. */
  get layered(): number {
    return this.#top.size;
  }

  get(key: K): V | undefined {
    return this.#top.has(key) ? this.#top.get(key) : this.#base.get(key);
  }

  has(key: K): boolean {
    return this.#top.has(key) || this.#base.has(key);
  }

  get size(): number {
    return this.#base.size + this.#added;
  }

  *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.#base)
      yield [key, this.#top.has(key) ? (this.#top.get(key) as V) : value];
    for (const [key, value] of this.#top) if (!this.#base.has(key)) yield [key, value];
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}
