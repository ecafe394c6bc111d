/**
 * Finding objects by a key DPoD does not index (a username, a group name, a credential's name and role):
 * list, keep the matches by distinct id (a page boundary can repeat one), then read each by id, because a
 * list item may be a summary and the callers compare objects field by field. An object gone between the
 * list and its read (404) is left out.
 */
import { orUndefinedIfNotFound } from "./errors";
import { distinctById } from "./values";

/** Every listed object, by distinct id, in list order. */
export async function listDistinct<T>(list: AsyncIterable<T>, idOf: (item: T) => string): Promise<T[]> {
  const found: T[] = [];
  for await (const item of list) found.push(item);
  return distinctById(found, idOf);
}

/** Each object as a GET answers it, in the given order, without those gone since they were listed. */
export async function readEach<T>(
  listed: readonly T[],
  idOf: (item: T) => string,
  get: (id: string) => Promise<T>,
): Promise<T[]> {
  const read = await Promise.all(
    distinctById(listed, idOf).map((item) => orUndefinedIfNotFound(() => get(idOf(item)))),
  );
  return read.filter((item): item is Awaited<T> & T => item !== undefined);
}

/** The listed objects `matches` keeps, each as a GET answers it. */
export async function findByKey<T>(
  list: AsyncIterable<T>,
  matches: (item: T) => boolean,
  idOf: (item: T) => string,
  get: (id: string) => Promise<T>,
): Promise<T[]> {
  const listed: T[] = [];
  for await (const item of list) if (matches(item)) listed.push(item);
  return readEach(listed, idOf, get);
}
