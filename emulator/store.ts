/**
 * The emulator's store: every tenant, user, subscriber group, credential and pending one-time code, in memory.
 *
 * With a state path, every committed change is written to disk atomically: the whole state goes to a temporary
 * file in the same directory, is flushed with fsync, then renamed over the state file. A rename within one
 * directory is atomic, so a crash at any moment leaves either the old or the new state, never a torn file.
 * Writes are synchronous, so once a response is sent its change is on disk.
 *
 * The state file also keeps the JWT signing key (tokens survive a restart) and the plain secrets of fixture
 * credentials (those seeded or created through /_emulator), so a restarted CLI can print them again.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import type { TenantKind } from "./field-rules";
import type { SecretDigest } from "./secrets";

export interface TenantRecord {
  id: string;
  name: string;
  kind: TenantKind;
  parentId: string | null;
  primaryAdminId: string;
  /** Services of the tenant; DPoD services are outside this API, so they exist only as ids. */
  serviceIds: string[];
  createdAt: string;
}

export interface UserRecord {
  id: string;
  tenantId: string;
  username: string;
  givenName: string;
  familyName: string;
  phoneNumber?: string;
  /** As received: full (dpod.tenant.admin) or short (admin) form; echoed back unchanged. */
  accountRole: string;
  subscriberGroups: string[];
  emailHints?: Record<string, unknown>;
  verified: boolean;
  password?: SecretDigest;
  createdAt: string;
  /** When an admin last forced MFA re-registration; internal, not part of the User response. */
  mfaResetAt?: string;
}

export interface SubscriberGroupRecord {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  createdAt: string;
}

export interface CredentialRecord {
  clientId: string;
  tenantId: string;
  name: string;
  /** As received: full or short form. */
  role: string;
  serviceIds: string[];
  subscriberGroups: string[];
  secret: SecretDigest;
  /** Plain secret, kept only for fixture credentials so the CLI can print them after a restart. */
  fixtureSecret?: string;
  createdAt: string;
  createdBy: string;
}

export type OneTimeCodePurpose = "password-reset" | "verification";

export interface OneTimeCodeRecord {
  userId: string;
  purpose: OneTimeCodePurpose;
  code: string;
  /** Emulator-clock milliseconds. */
  expiresAt: number;
}

interface StateFileV1 {
  version: 1;
  signingKey: string;
  tenants: TenantRecord[];
  users: UserRecord[];
  subscriberGroups: SubscriberGroupRecord[];
  credentials: CredentialRecord[];
  oneTimeCodes: OneTimeCodeRecord[];
}

export class EmulatorStore {
  readonly tenants = new Map<string, TenantRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly subscriberGroups = new Map<string, SubscriberGroupRecord>();
  readonly credentials = new Map<string, CredentialRecord>();
  private readonly usersByUsername = new Map<string, string>();
  private readonly oneTimeCodes = new Map<string, OneTimeCodeRecord>();
  private temporaryFileCounter = 0;

  private constructor(
    /** base64 of the HS256 key that signs this emulator's tokens. */
    readonly signingKey: string,
    private readonly statePath: string | undefined,
  ) {}

  /** An empty store; `commit()` writes to `statePath` when given. */
  static create(signingKey: string, statePath?: string): EmulatorStore {
    return new EmulatorStore(signingKey, statePath);
  }

  /**
   * Loads a state file written by `commit()`.
   * @throws Error naming the file when it cannot be read or is not an emulator state file
   */
  static load(statePath: string): EmulatorStore {
    let state: StateFileV1;
    try {
      state = JSON.parse(readFileSync(statePath, "utf8")) as StateFileV1;
    } catch (error) {
      throw new Error(`Cannot read emulator state file ${statePath}: ${(error as Error).message}`);
    }
    if (state?.version !== 1 || typeof state.signingKey !== "string" || !Array.isArray(state.tenants)) {
      throw new Error(`${statePath} is not a dpod-emulator state file (version 1)`);
    }
    const store = new EmulatorStore(state.signingKey, statePath);
    for (const tenant of state.tenants) store.tenants.set(tenant.id, tenant);
    for (const user of state.users ?? []) store.indexUser(user);
    for (const group of state.subscriberGroups ?? []) store.subscriberGroups.set(group.id, group);
    for (const credential of state.credentials ?? []) store.credentials.set(credential.clientId, credential);
    for (const code of state.oneTimeCodes ?? [])
      store.oneTimeCodes.set(codeKey(code.userId, code.purpose), code);
    return store;
  }

  findUserByUsername(username: string): UserRecord | undefined {
    const id = this.usersByUsername.get(username.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Inserts or replaces a user, keeping the username index right. Does not commit. */
  putUser(user: UserRecord): void {
    const previous = this.users.get(user.id);
    if (previous) this.usersByUsername.delete(previous.username.toLowerCase());
    this.indexUser(user);
  }

  /** Removes a user with its pending codes. Does not commit. */
  removeUser(id: string): void {
    const user = this.users.get(id);
    if (!user) return;
    this.users.delete(id);
    this.usersByUsername.delete(user.username.toLowerCase());
    this.oneTimeCodes.delete(codeKey(id, "password-reset"));
    this.oneTimeCodes.delete(codeKey(id, "verification"));
  }

  /** Replaces the user's pending code for `purpose`. Does not commit. */
  putOneTimeCode(code: OneTimeCodeRecord): void {
    this.oneTimeCodes.set(codeKey(code.userId, code.purpose), code);
  }

  getOneTimeCode(userId: string, purpose: OneTimeCodePurpose): OneTimeCodeRecord | undefined {
    return this.oneTimeCodes.get(codeKey(userId, purpose));
  }

  removeOneTimeCode(userId: string, purpose: OneTimeCodePurpose): void {
    this.oneTimeCodes.delete(codeKey(userId, purpose));
  }

  /** Objects in creation order, filtered to one tenant. */
  usersOf(tenantId: string): UserRecord[] {
    return [...this.users.values()].filter((user) => user.tenantId === tenantId);
  }

  subscriberGroupsOf(tenantId: string): SubscriberGroupRecord[] {
    return [...this.subscriberGroups.values()].filter((group) => group.tenantId === tenantId);
  }

  credentialsOf(tenantId: string): CredentialRecord[] {
    return [...this.credentials.values()].filter((credential) => credential.tenantId === tenantId);
  }

  /**
   * Makes the current in-memory state durable (a no-op without a state path). Call once per request, after
   * all of its changes, so a request's changes land on disk together.
   */
  commit(): void {
    if (this.statePath === undefined) return;
    writeFileAtomically(this.statePath, JSON.stringify(this.snapshot()), ++this.temporaryFileCounter);
  }

  /** The full state, secrets included, as written to the state file. */
  snapshot(): StateFileV1 {
    return {
      version: 1,
      signingKey: this.signingKey,
      tenants: [...this.tenants.values()],
      users: [...this.users.values()],
      subscriberGroups: [...this.subscriberGroups.values()],
      credentials: [...this.credentials.values()],
      oneTimeCodes: [...this.oneTimeCodes.values()],
    };
  }

  private indexUser(user: UserRecord): void {
    this.users.set(user.id, user);
    this.usersByUsername.set(user.username.toLowerCase(), user.id);
  }
}

function codeKey(userId: string, purpose: OneTimeCodePurpose): string {
  return `${userId}:${purpose}`;
}

/**
 * Write-to-temporary, fsync, rename. The temporary file sits next to the target (rename is only atomic within
 * one file system) and is owner-only, as the state holds secrets.
 */
export function writeFileAtomically(path: string, contents: string, uniqueSuffix: number): void {
  const temporaryPath = `${path}.${process.pid}.${uniqueSuffix}.tmp`;
  const descriptor = openSync(temporaryPath, "w", 0o600);
  try {
    writeSync(descriptor, contents);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  try {
    renameSync(temporaryPath, path);
  } catch (error) {
    rmSync(temporaryPath, { force: true });
    throw error;
  }
}
