/**
 * The pulumi-dpod policy pack. Run it with `pulumi preview --policy-pack <this package's directory>`;
 * each rule is documented in docs/policies/. Loading this module serves the pack to the engine, so it is
 * the pack's entry point only: tests import ./rules.
 */
import { PolicyPack } from "@pulumi/policy";
import { dpodPolicies } from "./rules";

new PolicyPack("pulumi-dpod", { policies: dpodPolicies() });
