/**
 * Reads `pulumi preview` text output. Used by the demo and the drift tests to name the resources a drift
 * check reports, the way a person reads a failed CI job.
 */

/**
 * Names of the resources the preview would update or replace (lines whose operation column is update,
 * replace, create-replacement, delete-replaced or create), sorted and without duplicates.
 */
export function driftedResources(previewText: string): string[] {
  const names = new Set<string>();
  const operation =
    /^\s*[~+\-]+\+?\s+(\S+)\s+(\S+)\s+(update|replace|create-replacement|delete-replaced|create)\b/;
  for (const line of previewText.split("\n")) {
    const match = operation.exec(line);
    if (match && match[1] !== "pulumi:pulumi:Stack" && match[2]) names.add(match[2]);
  }
  return [...names].sort();
}
