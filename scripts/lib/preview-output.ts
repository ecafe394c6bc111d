/**
 * Reads `pulumi preview` text output. Used by the demo and the drift tests to name the resources a drift
 * check reports, the way a person reads a failed CI job.
 */

const changingOperations = "update|replace|create-replacement|delete-replaced|create|delete";

// Default format:  " ~   ├─ pulumi-nodejs:dynamic/dpod:User  alice  update  [diff: ~phoneNumber]" (tree optional)
// The type token always holds a ':', which keeps the summary line "~ 1 to update" out.
const tableLine = new RegExp(
  `^\\s*[~+\\-]+\\s+(?:[│├└─]+\\s*)*(\\S*:\\S*)\\s+(\\S+)\\s+(?:${changingOperations})\\b(?:.*\\[diff: ([^\\]]+)\\])?`,
);
// --diff format:   "    ~ pulumi-nodejs:dynamic/dpod:User: (update)" then "[urn=...::alice]" a line or two below.
const diffHeader = new RegExp(`^\\s*[~+\\-]+\\s+(\\S*:\\S*):\\s+\\((?:${changingOperations})\\)`);
const urnLine = /\[urn=\S*::([^\]:]+)\]/;

/**
 * Names of the resources the preview would create, update, replace or delete (refresh-only lines are not
 * changes), sorted and without duplicates; the stack itself is left out. Reads both output formats.
 */
export function driftedResources(previewText: string): string[] {
  const names = new Set<string>();
  const lines = previewText.split("\n");
  lines.forEach((line, index) => {
    const table = tableLine.exec(line);
    if (table?.[1] && table[2] && table[1] !== "pulumi:pulumi:Stack") names.add(table[2]);
    const header = diffHeader.exec(line);
    if (header?.[1] && header[1] !== "pulumi:pulumi:Stack") {
      const urn = lines
        .slice(index + 1, index + 4)
        .map((next) => urnLine.exec(next)?.[1])
        .find((name) => name !== undefined);
      if (urn) names.add(urn);
    }
  });
  return [...names].sort();
}

/**
 * The changed resources of a default-format preview with the fields its `[diff: ...]` column names, e.g.
 * ["alice (phoneNumber)", "ops (description)"], sorted. A resource without a field list (a create) is
 * named alone.
 */
export function driftSummary(previewText: string): string[] {
  const entries = new Map<string, string[]>();
  for (const line of previewText.split("\n")) {
    const table = tableLine.exec(line);
    if (!table?.[1] || !table[2] || table[1] === "pulumi:pulumi:Stack") continue;
    const fields = (table[3] ?? "")
      .split(/\s+/)
      .map((field) => field.replace(/^[~+-]+/, ""))
      .filter((field) => field !== "");
    entries.set(table[2], [...new Set([...(entries.get(table[2]) ?? []), ...fields])]);
  }
  return [...entries.keys()].sort().map((name) => {
    const fields = entries.get(name) ?? [];
    return fields.length > 0 ? `${name} (${fields.join(", ")})` : name;
  });
}
