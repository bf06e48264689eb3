// The pack memoises parsed documents, compiled patterns and dataset lookups for the life of the process. Every such
// table is made here, so a host that runs the pack many times in one process and must see each run compute afresh
// (the mutation test runner, through the tests' root hook) can empty them all with `clearMemos()`.

const tables: { clear(): void }[] = [];

/** A Map that `clearMemos()` empties. */
export function memoMap<K, V>(): Map<K, V> {
    const table = new Map<K, V>();
    tables.push(table);
    return table;
}

/** A WeakMap that `clearMemos()` empties (a WeakMap cannot be cleared, so it is replaced). */
export class MemoWeakMap<K extends object, V> {
    private table = new WeakMap<K, V>();

    constructor() {
        tables.push(this);
    }

    get(key: K): V | undefined {
        return this.table.get(key);
    }

    set(key: K, value: V): this {
        this.table.set(key, value);
        return this;
    }

    clear(): void {
        this.table = new WeakMap();
    }
}

/** Empties every memo table of the pack. */
export function clearMemos(): void {
    for (const table of tables) table.clear();
}
