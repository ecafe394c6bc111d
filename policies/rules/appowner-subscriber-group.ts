import { listProperty, property, UNKNOWN } from "../values";
import { describe, dpodResourcePolicy } from "./dpod-policy";
import { APPLICATION_OWNER_ROLE, fullRole } from "./roles";

/**
 * An application owner belongs to at least one subscriber group. DPoD refuses such a user without one;
 * this reports it at preview, with the rest of the pack's findings.
 */
export const appownerSubscriberGroup = dpodResourcePolicy<object>({
  name: "dpod-appowner-subscriber-group",
  description:
    "A user whose accountRole is dpod.tenant.appowner (or appowner) is in at least one subscriber group.",
  enforcementLevel: "mandatory",
  kinds: ["User"],
  defaults: {},
  check(resource) {
    const role = property(resource.props, "accountRole");
    if (typeof role !== "string" || fullRole(role) !== APPLICATION_OWNER_ROLE) return [];
    const groups = listProperty(resource.props, "subscriberGroups");
    if (groups === UNKNOWN || (groups !== undefined && groups.length > 0)) return [];
    return [
      `${describe(resource)} is an application owner in no subscriber group: DPoD requires at least one. ` +
        `Add its group's id to subscriberGroups.`,
    ];
  },
});
