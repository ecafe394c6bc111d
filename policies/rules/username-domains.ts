import { property } from "../values";
import { describe, dpodResourcePolicy } from "./dpod-policy";

export interface UsernameDomainsConfig {
  allowedDomains: string[];
}

/** The domain of a mail address, lower case; undefined when there is no "@". */
function domainOf(username: string): string | undefined {
  const at = username.lastIndexOf("@");
  return at < 0
    ? undefined
    : username
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

/**
 * Accounts only in the organisation's mail domains: a username outside them is an account for someone
 * the organisation does not manage. Off until allowedDomains names at least one domain.
 */
export const usernameDomains = dpodResourcePolicy<UsernameDomainsConfig>({
  name: "dpod-username-domains",
  description: "Usernames are addresses in one of allowedDomains (inactive while allowedDomains is empty).",
  enforcementLevel: "mandatory",
  kinds: ["User"],
  configSchema: {
    properties: {
      allowedDomains: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: 'Mail domains usernames may be in, e.g. ["example.com"]; exact match, any case.',
      },
    },
  },
  defaults: { allowedDomains: [] },
  check(resource, { allowedDomains }) {
    if (allowedDomains.length === 0) return [];
    const username = property(resource.props, "username");
    if (typeof username !== "string") return [];
    const allowed = allowedDomains.map((domain) => domain.trim().replace(/^@/, "").toLowerCase());
    const domain = domainOf(username);
    if (domain !== undefined && allowed.includes(domain)) return [];
    return [
      `${describe(resource)} has username "${username}", outside the allowed mail domains ` +
        `(${allowed.join(", ")}).`,
    ];
  },
});
