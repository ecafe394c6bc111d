/** The part of the client the handlers and the list reads use; tests pass fakes of this shape. */
import type { DpodClient } from "../../client";

export type DpodApi = Pick<DpodClient, "credentials" | "subscriberGroups" | "users">;
