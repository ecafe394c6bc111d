import { isOn, property } from "../values";
import { describe, dpodResourcePolicy } from "./dpod-policy";

/**
 * `allowRecreate: true` is a one-off permission: it lets a change delete and recreate the account or
 * credential (a person loses their account; consumers lose their client id). Left on, the next
 * unrelated edit of a replacing field goes through without anyone being asked.
 */
export const allowRecreateLeftOn = dpodResourcePolicy<object>({
  name: "dpod-allow-recreate-left-on",
  description: "No resource keeps allowRecreate: true once the replacement it was set for has been applied.",
  enforcementLevel: "advisory",
  kinds: ["User", "ClientCredential", "RotatingClientCredential"],
  defaults: {},
  check(resource) {
    if (!isOn(property(resource.props, "allowRecreate"))) return [];
    return [
      `${describe(resource)} has allowRecreate: true. Remove it once the replacement it was set for is ` +
        `applied, so a later change cannot delete and recreate it unnoticed.`,
    ];
  },
});
