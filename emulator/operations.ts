/**
 * The 24 operations of the DPoD Users and Credentials API 3.1.5 (docs/dpod-api-notes.md): operation id, method and
 * fastify route pattern. The scope matrix and the status-code table are keyed by these ids.
 *
 * Route precedence (docs/dpod-api-notes.md#account-flows): the static paths /v1/users/profile, /v1/users/changePassword and
 * /v1/users/forgotPassword must win over /v1/users/:id. fastify's router always tries static segments before
 * parametric ones, whatever the registration order, so no ordering trick is needed here.
 */
export const OPERATIONS = {
  createClient: { method: "POST", path: "/v1/credentials/clients" },
  listClients: { method: "GET", path: "/v1/credentials/clients" },
  getClient: { method: "GET", path: "/v1/credentials/clients/:id" },
  updateClient: { method: "PATCH", path: "/v1/credentials/clients/:id" },
  deleteClient: { method: "DELETE", path: "/v1/credentials/clients/:id" },
  resetClient: { method: "POST", path: "/v1/credentials/clients/:id/resetSecret" },
  createSubscriberGroups: { method: "POST", path: "/v1/subscriber_groups" },
  listSubscriberGroups: { method: "GET", path: "/v1/subscriber_groups" },
  getSubscriberGroup: { method: "GET", path: "/v1/subscriber_groups/:id" },
  updateSubscriberGroup: { method: "PATCH", path: "/v1/subscriber_groups/:id" },
  deleteSubscriberGroup: { method: "DELETE", path: "/v1/subscriber_groups/:id" },
  createUser: { method: "POST", path: "/v1/users" },
  listUsers: { method: "GET", path: "/v1/users" },
  getUser: { method: "GET", path: "/v1/users/:id" },
  editUserDetails: { method: "PATCH", path: "/v1/users/:id" },
  deleteUser: { method: "DELETE", path: "/v1/users/:id" },
  getUserProfile: { method: "GET", path: "/v1/users/profile" },
  changeUserPassword: { method: "PATCH", path: "/v1/users/changePassword" },
  forgotUserPassword: { method: "POST", path: "/v1/users/forgotPassword" },
  resetMfaToken: { method: "POST", path: "/v1/users/:id/resetMfaToken" },
  resetUserPassword: { method: "PATCH", path: "/v1/users/:id/resetPassword" },
  resetUserPasswordWithCode: { method: "POST", path: "/v1/users/:id/password" },
  sendUserVerification: { method: "POST", path: "/v1/users/:id/sendVerification" },
  verifyUser: { method: "GET", path: "/v1/users/:id/verify" },
} as const satisfies Record<string, { method: "GET" | "POST" | "PATCH" | "DELETE"; path: string }>;

export type OperationId = keyof typeof OPERATIONS;

export const OPERATION_IDS = Object.keys(OPERATIONS) as OperationId[];

/** The request-log and fault key of an operation, e.g. "GET /v1/users/:id". */
export function routeKey(operation: OperationId): string {
  const { method, path } = OPERATIONS[operation];
  return `${method} ${path}`;
}
