import { OPERATIONS, OPERATION_IDS, routeKey } from "../../../emulator/operations";
import {
  SCOPES,
  SCOPE_MATRIX,
  allowedScopes,
  grantingScopes,
  isPublicOperation,
  isSelfOnlyGrant,
  refusalMessage,
} from "../../../emulator/scope-matrix";
import { SUCCESS_STATUS } from "../../../emulator/status-codes";

describe("emulator operation tables", () => {
  it("lists the 24 operations of the API, each with a scope rule and a success status", () => {
    expect(OPERATION_IDS).toHaveLength(24);
    for (const operation of OPERATION_IDS) {
      expect(SCOPE_MATRIX[operation]).toBeDefined();
      expect(SUCCESS_STATUS[operation].status).toBeGreaterThanOrEqual(200);
    }
    const keys = OPERATION_IDS.map(routeKey);
    expect(new Set(keys).size).toBe(24);
    expect(routeKey("resetClient")).toBe("POST /v1/credentials/clients/:id/resetSecret");
    expect(OPERATIONS.getUserProfile.path).toBe("/v1/users/profile");
  });

  it("uses the documented success codes: 200 for createClient, 201 for other creates, 204 for deletes", () => {
    expect(SUCCESS_STATUS.createClient.status).toBe(200);
    expect(SUCCESS_STATUS.createSubscriberGroups.status).toBe(201);
    expect(SUCCESS_STATUS.createUser.status).toBe(201);
    for (const operation of ["deleteClient", "deleteSubscriberGroup", "deleteUser"] as const) {
      expect(SUCCESS_STATUS[operation].status).toBe(204);
    }
  });
});

describe("emulator scope matrix (docs/dpod-api-notes.md#which-role-may-call-what)", () => {
  it("gives credentials to every UI role and to api_spadmin / api_appowner, never api_service", () => {
    expect(allowedScopes("createClient")).toEqual([
      SCOPES.spadmin,
      SCOPES.admin,
      SCOPES.appowner,
      SCOPES.apiSpadmin,
      SCOPES.apiAppowner,
    ]);
    expect(grantingScopes("listClients", ["dpod.tuid.x", SCOPES.apiService])).toEqual([]);
  });

  it("gives subscriber-group writes to tenant admins and api_appowner only; reads also to app owners", () => {
    expect(allowedScopes("createSubscriberGroups")).toEqual([SCOPES.admin, SCOPES.apiAppowner]);
    expect(allowedScopes("getSubscriberGroup")).toEqual([SCOPES.admin, SCOPES.appowner, SCOPES.apiAppowner]);
    expect(grantingScopes("deleteSubscriberGroup", [SCOPES.apiSpadmin])).toEqual([]);
  });

  it("gives user management to spadmin, admin and api_spadmin, not api_appowner", () => {
    expect(allowedScopes("createUser")).toEqual([SCOPES.spadmin, SCOPES.admin, SCOPES.apiSpadmin]);
    expect(grantingScopes("getUser", [SCOPES.apiAppowner])).toEqual([]);
  });

  it("keeps profile, changePassword and verify for user tokens", () => {
    expect(grantingScopes("getUserProfile", [SCOPES.apiSpadmin])).toEqual([]);
    expect(grantingScopes("getUserProfile", [SCOPES.adminUnverified])).toEqual([SCOPES.adminUnverified]);
    expect(grantingScopes("changeUserPassword", [SCOPES.appownerUnverified])).toEqual([]);
    expect(allowedScopes("verifyUser")).toEqual([
      SCOPES.spadminUnverified,
      SCOPES.adminUnverified,
      SCOPES.appownerUnverified,
    ]);
  });

  it("marks forgotPassword and password-with-code as public", () => {
    expect(isPublicOperation("forgotUserPassword")).toBe(true);
    expect(isPublicOperation("resetUserPasswordWithCode")).toBe(true);
    expect(isPublicOperation("getUser")).toBe(false);
    expect(allowedScopes("forgotUserPassword")).toEqual([]);
  });

  it("treats .unverified grants of sendVerification and verify as self-only, admin grants not", () => {
    expect(isSelfOnlyGrant("sendUserVerification", [SCOPES.spadminUnverified])).toBe(true);
    expect(isSelfOnlyGrant("sendUserVerification", [SCOPES.spadmin])).toBe(false);
    expect(isSelfOnlyGrant("verifyUser", [SCOPES.appownerUnverified])).toBe(true);
    expect(isSelfOnlyGrant("getUser", [SCOPES.spadmin])).toBe(false);
  });

  it("names every accepted scope in the refusal message", () => {
    const message = refusalMessage("createSubscriberGroups");
    expect(message).toBe(
      "Insufficient scope for createSubscriberGroups: requires one of dpod.tenant.admin, dpod.tenant.api_appowner",
    );
  });
});
