/**
 * The policy pack as the e2e tests run it: the pulumi-dpod-policies package installed from its tarball in
 * the e2e workspace, named by `--policy-pack` as users name it after `npm install`.
 */
import { installedPolicyPack } from "../../scripts/lib/program-workspace";
import type { PulumiResult } from "../../scripts/lib/pulumi-cli";
import { e2eWorkspaceDir } from "./e2e-workspace";

/** The flags that add the pack, with its default configuration, to a `pulumi preview` or `pulumi up`. */
export function policyPackArgs(): string[] {
  return ["--policy-pack", installedPolicyPack(e2eWorkspaceDir())];
}

/** True when the command's policy report lists `policy` at `level`. */
export function reportsPolicy(
  result: PulumiResult,
  level: "mandatory" | "advisory",
  policy: string,
): boolean {
  return new RegExp(`\\[${level}\\]\\s+${policy}\\b`).test(result.stdout + result.stderr);
}

/**
 * What a command run with the pack shows about it: whether the pack ran (its name in the policy report)
 * and the findings it printed; `{ ran: true, findings: [] }` for a program the pack passes silently.
 */
export function policyPackOutcome(result: PulumiResult): { ran: boolean; findings: string[] } {
  const text = result.stdout + result.stderr;
  return {
    ran: /pulumi-dpod@v?0\.1\.0/.test(text),
    findings: [...text.matchAll(/\[(mandatory|advisory)\]\s+(dpod-[\w-]+)/g)].map((m) => `${m[1]} ${m[2]}`),
  };
}
