/** The User dynamic-provider object, as this module's whole export (see adapter.ts for why). */
import { adapter } from "./adapter";

export = adapter("User");
