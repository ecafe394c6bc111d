/**
 * Per-process serialisation of tasks that share a key under one owner (a DpodClient: one connection).
 * Tasks with the same owner and key run one after the other, in call order; others run freely. A failed
 * task releases the key like a successful one. Nothing is kept once a key's queue is empty.
 */
const queues = new WeakMap<object, Map<string, Promise<void>>>();

export async function serialized<T>(owner: object, key: string, task: () => Promise<T>): Promise<T> {
  let byKey = queues.get(owner);
  if (byKey === undefined) {
    byKey = new Map();
    queues.set(owner, byKey);
  }
  const previous = byKey.get(key) ?? Promise.resolve();
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => done);
  byKey.set(key, tail);
  await previous;
  try {
    return await task();
  } finally {
    release();
    if (byKey.get(key) === tail) byKey.delete(key);
  }
}
