/**
 * Building request paths from ids that come from user programs and state files.
 *
 * Contract: every interpolated value is one path segment, percent-encoded; an empty value, `.` or `..`
 * is refused, so no id can address a different endpoint (the idea of openai-node's `path` tag).
 */

export function apiPath(strings: TemplateStringsArray, ...segments: string[]): string {
  let result = strings[0] ?? "";
  segments.forEach((segment, index) => {
    if (typeof segment !== "string" || segment.length === 0 || segment === "." || segment === "..") {
      throw new TypeError(
        `A DPoD id must be a non-empty string other than "." or ".."; got ${describe(segment)}.`,
      );
    }
    result += encodeURIComponent(segment) + (strings[index + 1] ?? "");
  });
  return result;
}

/** Appends a query string; undefined values are left out and arrays become repeated keys. */
export function withQuery(
  path: string,
  query: Record<string, string | number | string[] | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, item);
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}
