// Data functions read DPoD objects: objects this program manages and objects it does not. Each comes in two
// forms: a plain async function (getSubscriberGroups) and an Output form (getSubscriberGroupOutput) that
// takes Inputs, so it can wait for a resource's id. None of them ever returns a client secret.
//
// The stack config dpod:* is the tenant's api_appowner credential: it reads subscriber groups and client
// credentials. Users are read with the service provider's api_spadmin credential (config spClientId /
// spClientSecret), here in the child tenant named by tenantId.
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const tenantId = config.require("tenantId");
const serviceProviderAdmin: dpod.ConnectionArgs = {
  clientId: config.require("spClientId"),
  clientSecret: config.requireSecret("spClientSecret"),
};

// A group and a credential this program manages.
const reporting = new dpod.SubscriberGroup("reporting", { name: "reporting", description: "Reporting team" });
const exporter = new dpod.ClientCredential("exporter", {
  name: "reporting-exporter",
  role: "dpod.tenant.api_appowner",
  subscriberGroups: [reporting.id],
  rotateAfterDays: 90,
});

// Output form: waits for the group's id, then reads the group back from DPoD.
const reportingGroup = dpod.getSubscriberGroupOutput({ id: reporting.id });

// Plain form: a Promise. Called inside apply, it runs once the group exists (and not in the first preview).
const reportGroups = reporting.id.apply(() => dpod.getSubscriberGroups({ nameContains: "report" }));

// A credential read back by client id: everything DPoD reports about it, and never its secret.
const exporterRecord = dpod.getClientCredentialOutput({ clientId: exporter.clientId });

// Objects the program does not manage: the tenant's api_service credentials.
const serviceCredentials = dpod.getClientCredentialsOutput({ role: "api_service" });

// Users of the child tenant, read with the service provider's credential. The connection's secret stays a
// secret; the results hold no credential, so they are plain values.
const tenantAdmins = dpod.getUsersOutput({
  tenantId,
  accountRole: "admin",
  connection: serviceProviderAdmin,
});
const primaryAdmin = dpod.getUserOutput({
  username: config.require("adminUsername"),
  tenantId,
  connection: serviceProviderAdmin,
});

// The signed-in user's profile needs a user's bearer token (client credentials have no profile), so it is
// read only when one is configured (config userAccessToken, a secret).
const userAccessToken = config.getSecret("userAccessToken");
const currentUser =
  userAccessToken === undefined
    ? undefined
    : dpod.getCurrentUserOutput({ connection: { accessToken: userAccessToken } });

export const reportingGroupName = reportingGroup.name;
export const reportGroupNames = reportGroups.groups.apply((groups) => groups.map((group) => group.name));
export const exporterDetails = exporterRecord; // no clientSecret field: the functions never return one
export const serviceCredentialNames = serviceCredentials.credentials.apply((credentials) =>
  credentials.map((credential) => credential.name),
);
export const tenantAdminUsernames = tenantAdmins.users.apply((users) => users.map((user) => user.username));
export const primaryAdminId = primaryAdmin.id; // plain, although read through a secret connection
export const primaryAdminRole = primaryAdmin.accountRole;
export const currentUsername = currentUser?.username;
