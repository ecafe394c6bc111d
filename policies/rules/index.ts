/** The pack's rules, in the order they are listed. */
import type { Policies } from "@pulumi/policy";
import { engineStackContext, type StackContext } from "../stack-context";
import { adoptIdenticalLeftOn } from "./adopt-identical-left-on";
import { allowRecreateLeftOn } from "./allow-recreate-left-on";
import { appownerSubscriberGroup } from "./appowner-subscriber-group";
import { credentialRotation } from "./credential-rotation";
import { rotationPickupWindow } from "./rotation-pickup-window";
import { spadminCredentialStack } from "./spadmin-credential-stack";
import { usernameDomains } from "./username-domains";

export function dpodPolicies(context: StackContext = engineStackContext): Policies {
  return [
    credentialRotation,
    rotationPickupWindow,
    appownerSubscriberGroup,
    usernameDomains,
    spadminCredentialStack(context),
    allowRecreateLeftOn,
    adoptIdenticalLeftOn(context),
  ];
}
