import {
  PATCH_FIELDS,
  ROLES_BY_TENANT_KIND,
  TEXT_LIMITS,
  USERNAME_PATTERN,
  canonicalAccountRole,
  canonicalCredentialRole,
  findPatchViolation,
  isSameImmutableValue,
  unverifiedVariant,
} from "../../../emulator/field-rules";

describe("emulator field rules", () => {
  it("accepts full and short role forms and nothing else", () => {
    expect(canonicalCredentialRole("api_appowner")).toBe("dpod.tenant.api_appowner");
    expect(canonicalCredentialRole("dpod.tenant.api_service")).toBe("dpod.tenant.api_service");
    expect(canonicalCredentialRole("dpod.tenant.admin")).toBeUndefined();
    expect(canonicalCredentialRole("toString")).toBeUndefined();
    expect(canonicalAccountRole("appowner")).toBe("dpod.tenant.appowner");
    expect(canonicalAccountRole("dpod.tenant.spadmin")).toBe("dpod.tenant.spadmin");
    expect(canonicalAccountRole("api_spadmin")).toBeUndefined();
    expect(unverifiedVariant("dpod.tenant.admin")).toBe("dpod.tenant.admin.unverified");
  });

  it("puts SP roles only in SP tenants and tenant roles only in child tenants", () => {
    expect(ROLES_BY_TENANT_KIND["service-provider"]).toEqual({
      credential: ["dpod.tenant.api_spadmin"],
      account: ["dpod.tenant.spadmin"],
    });
    expect(ROLES_BY_TENANT_KIND.tenant.credential).toEqual([
      "dpod.tenant.api_appowner",
      "dpod.tenant.api_service",
    ]);
  });

  it("keeps the documented limits", () => {
    expect(TEXT_LIMITS.credentialName).toEqual({ min: 1, max: 64 });
    expect(TEXT_LIMITS.groupDescription.max).toBe(255);
    expect(TEXT_LIMITS.givenName.max).toBe(50);
    expect(TEXT_LIMITS.phoneNumber.max).toBe(20);
    expect(TEXT_LIMITS.password).toEqual({ min: 8, max: 100 });
    expect(USERNAME_PATTERN.test("a@b.example")).toBe(true);
    expect(USERNAME_PATTERN.test("not an email")).toBe(false);
  });

  it("treats equal values of immutable fields as unchanged: roles by meaning, lists as sets, ids without case", () => {
    expect(isSameImmutableValue("role", "api_appowner", "dpod.tenant.api_appowner")).toBe(true);
    expect(isSameImmutableValue("role", "api_appowner", "api_service")).toBe(false);
    expect(isSameImmutableValue("accountRole", "admin", "dpod.tenant.admin")).toBe(true);
    expect(isSameImmutableValue("subscriberGroups", ["A", "b"], ["b", "a", "a"])).toBe(true);
    expect(isSameImmutableValue("subscriberGroups", ["a"], [])).toBe(false);
    expect(isSameImmutableValue("username", "A@B.example", "a@b.EXAMPLE")).toBe(true);
    expect(isSameImmutableValue("tenantId", "x", "y")).toBe(false);
  });

  it("finds the first unknown or changed immutable field of a PATCH body", () => {
    const current = {
      clientId: "c",
      role: "api_appowner",
      serviceIds: [],
      subscriberGroups: [],
      tenantId: "t",
      name: "n",
    };
    expect(findPatchViolation("credential", { name: "m" }, current)).toBeUndefined();
    expect(
      findPatchViolation("credential", { name: "m", role: "dpod.tenant.api_appowner" }, current),
    ).toBeUndefined();
    expect(findPatchViolation("credential", { role: "api_service" }, current)).toEqual({
      field: "role",
      reason: "immutable",
    });
    expect(findPatchViolation("credential", { secret: "x" }, current)).toEqual({
      field: "secret",
      reason: "unknown",
    });
    expect(findPatchViolation("credential", { createdAt: "x" }, current)).toEqual({
      field: "createdAt",
      reason: "unknown",
    });
  });

  it("lets PATCH change only the documented fields", () => {
    expect(PATCH_FIELDS.credential.mutable).toEqual(["name"]);
    expect(PATCH_FIELDS.subscriberGroup.mutable).toEqual(["name", "description"]);
    expect(PATCH_FIELDS.user.mutable).toEqual(["givenName", "familyName", "phoneNumber", "emailHints"]);
    expect(PATCH_FIELDS.user.immutable).toEqual(
      expect.arrayContaining(["username", "accountRole", "subscriberGroups", "tenantId"]),
    );
  });
});
