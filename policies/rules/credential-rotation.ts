import { hasEntries, property, UNKNOWN } from "../values";
import { describe, dpodResourcePolicy } from "./dpod-policy";

export interface CredentialRotationConfig {
  maxRotateAfterDays: number;
}

/**
 * Every client credential rotates: it has rotation triggers (rotation on demand), or rotates by age at
 * least every `maxRotateAfterDays` days. A secret that never changes outlives the people and machines
 * that have seen it.
 */
export const credentialRotation = dpodResourcePolicy<CredentialRotationConfig>({
  name: "dpod-credential-rotation",
  description:
    "Every client credential rotates: it has rotationTriggers, or rotateAfterDays no larger than maxRotateAfterDays.",
  enforcementLevel: "mandatory",
  kinds: ["ClientCredential", "RotatingClientCredential"],
  configSchema: {
    properties: {
      maxRotateAfterDays: {
        type: "number",
        exclusiveMinimum: 0,
        default: 90,
        description: "The largest rotateAfterDays accepted from a credential without rotationTriggers.",
      },
    },
  },
  defaults: { maxRotateAfterDays: 90 },
  check(resource, { maxRotateAfterDays }) {
    const triggers = hasEntries(resource.props, "rotationTriggers");
    if (triggers === true || triggers === UNKNOWN) return [];
    const days = property(resource.props, "rotateAfterDays");
    if (days === UNKNOWN) return [];
    if (typeof days === "number" && days <= maxRotateAfterDays) return [];
    if (typeof days === "number") {
      return [
        `${describe(resource)} rotates only every ${days} days, more than the ${maxRotateAfterDays} allowed: ` +
          `lower rotateAfterDays, or add rotationTriggers.`,
      ];
    }
    return [
      `${describe(resource)} never rotates its secret: add rotationTriggers, or rotateAfterDays of at most ` +
        `${maxRotateAfterDays}.`,
    ];
  },
});
