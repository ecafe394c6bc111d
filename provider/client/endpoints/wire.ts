/**
 * Shared pieces of the lenient wire schemas: strict for user inputs, lenient for API answers (docs/architecture.md).
 *
 * Contract: responses are validated only for the fields the provider reads. Unknown fields are ignored,
 * and a number where a string is expected (an id, a timestamp) is accepted as text. What DPoD did not
 * send stays absent: a missing key is never given a default, so callers can tell "not sent" from
 * "empty". `null` text is treated like a missing field; a `null` list is DPoD saying "none" ([]). A 2xx answer that still does not fit
 * becomes a DpodResponseShapeError carrying the redacted body: zod never leaks to callers.
 */
import { z } from "zod";
import type { Page, PageFacts } from "../paging";
import { NOT_JSON, type ApiAnswer, type ApiCall, type ApiRequester } from "../request";

/** A required text field; numbers are accepted and turned into text. */
export const text = z.union([z.string(), z.number().transform(String)]);
/** An optional text field: missing and null both become undefined. */
export const optionalText = text.nullish().transform((value) => value ?? undefined);
/** An optional list of ids: a missing key stays undefined (not sent); null, sent as "none", becomes []. */
export const idList = z
  .array(text)
  .nullish()
  .transform((value) => (value === null ? [] : value));

/** Removes keys whose value is undefined, so optional fields are absent rather than present-but-empty. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

function describeIssues(error: z.ZodError, prefix = ""): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    return `${path || "(body)"}: ${issue.message}`;
  });
}

/** Parses a 2xx answer's body with `schema`, or throws DpodResponseShapeError. */
export function parseBody<TSchema extends z.ZodType>(
  requester: ApiRequester,
  call: ApiCall,
  answer: ApiAnswer,
  schema: TSchema,
): z.output<TSchema> {
  if (answer.json === NOT_JSON) throw requester.shapeError(call, answer, ["(body): not valid JSON"]);
  if (answer.json === undefined)
    throw requester.shapeError(call, answer, ["(body): empty, expected a JSON object"]);
  const parsed = schema.safeParse(answer.json);
  if (!parsed.success) throw requester.shapeError(call, answer, describeIssues(parsed.error));
  return parsed.data;
}

const count = z.number().int().nonnegative().nullish();
const PageEnvelope = z.object({
  content: z.array(z.unknown()).nullish(),
  number: count,
  size: z.number().int().positive().nullish(),
  totalElements: count,
  totalPages: count,
  last: z.boolean().nullish(),
});

/**
 * Parses a paged answer (docs/dpod-api-notes.md#paging). `reported` keeps what the envelope said, which is
 * all iteration trusts (paging.ts); the other numbers fall back to what was asked and what came back. A
 * bare JSON array is the whole list: one page, the last.
 */
export function parsePage<TSchema extends z.ZodType>(
  requester: ApiRequester,
  call: ApiCall,
  answer: ApiAnswer,
  itemSchema: TSchema,
  requested: { page: number; size: number },
): Page<z.output<TSchema>> {
  if (answer.json === NOT_JSON) throw requester.shapeError(call, answer, ["(body): not valid JSON"]);
  const body = Array.isArray(answer.json) ? { content: answer.json, last: true } : answer.json;
  const envelope = PageEnvelope.safeParse(body);
  if (!envelope.success) throw requester.shapeError(call, answer, describeIssues(envelope.error));
  const rawItems = envelope.data.content ?? [];
  const content: z.output<TSchema>[] = [];
  const issues: string[] = [];
  rawItems.forEach((raw, index) => {
    const item = itemSchema.safeParse(raw);
    if (item.success) content.push(item.data);
    else issues.push(...describeIssues(item.error, `content.${index}`));
  });
  if (issues.length) throw requester.shapeError(call, answer, issues);

  const said = envelope.data;
  const reported: PageFacts = compact({
    number: said.number ?? undefined,
    size: said.size ?? undefined,
    totalElements: said.totalElements ?? undefined,
    totalPages: said.totalPages ?? undefined,
    last: said.last ?? undefined,
  });
  const number = reported.number ?? requested.page;
  const size = reported.size ?? requested.size;
  const totalElements = reported.totalElements ?? number * size + content.length;
  const totalPages =
    reported.totalPages ??
    (reported.totalElements !== undefined
      ? Math.ceil(totalElements / size)
      : reported.last === true || content.length < size
        ? number + 1
        : number + 2); // a full page and no totals: there may be more; an empty page ends it
  return {
    content,
    number,
    size,
    totalElements,
    totalPages,
    reported,
    source: { operation: call.operation, path: call.path },
  };
}
