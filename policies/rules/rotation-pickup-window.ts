import { property } from "../values";
import { describe, dpodResourcePolicy } from "./dpod-policy";

export interface RotationPickupWindowConfig {
  pickupWindowDays: number;
}

/**
 * A rotating pair rotates no more often than its consumers pick the new pair up. The previous pair of
 * a RotatingClientCredential stops working at the next rotation, so a consumer has one rotation period
 * (rotateAfterDays) to take the current pair; one that redeploys less often is cut off.
 */
export const rotationPickupWindow = dpodResourcePolicy<RotationPickupWindowConfig>({
  name: "dpod-rotation-pickup-window",
  description:
    "A RotatingClientCredential's rotateAfterDays is at least pickupWindowDays, the time its consumers take to pick up a new pair.",
  enforcementLevel: "advisory",
  kinds: ["RotatingClientCredential"],
  configSchema: {
    properties: {
      pickupWindowDays: {
        type: "number",
        exclusiveMinimum: 0,
        default: 7,
        description: "The longest time, in days, a consumer may take to pick up a new pair.",
      },
    },
  },
  defaults: { pickupWindowDays: 7 },
  check(resource, { pickupWindowDays }) {
    const days = property(resource.props, "rotateAfterDays");
    if (typeof days !== "number" || days >= pickupWindowDays) return [];
    return [
      `${describe(resource)} rotates every ${days} days, but its consumers may take ${pickupWindowDays} days ` +
        `to pick up a new pair; the previous pair stops working at the next rotation. Raise rotateAfterDays ` +
        `to at least ${pickupWindowDays}.`,
    ];
  },
});
