// Preloaded (node --require) into a test's Pulumi program and provider processes: resolves the host name
// `dpod.test` to 127.0.0.1 there, as a company's DNS would resolve its DPoD host. Used only where a test
// proves that a client connects directly (NO_PROXY); without it, only the test proxy resolves that name.
const dns = require("node:dns");

const lookup = dns.lookup;
dns.lookup = function lookupWithTestHost(hostname, ...rest) {
  return lookup.call(this, hostname === "dpod.test" ? "127.0.0.1" : hostname, ...rest);
};
