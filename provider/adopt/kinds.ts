/** The kinds the adopt command declares, and their native type tokens (the import file's `type`). */
export type DeclaredKind = "SubscriberGroup" | "User" | "ClientCredential";

export const NATIVE_TYPE_TOKENS: Readonly<Record<DeclaredKind, string>> = {
  SubscriberGroup: "dpod:index:SubscriberGroup",
  User: "dpod:index:User",
  ClientCredential: "dpod:index:ClientCredential",
};
