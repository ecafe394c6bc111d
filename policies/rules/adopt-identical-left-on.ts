import type { StackValidationPolicy } from "@pulumi/policy";
import { dpodKindOf, NATIVE_PROVIDER_TYPE } from "../resource-kinds";
import type { StackContext } from "../stack-context";
import { isOn, property } from "../values";

/**
 * `dpod:adoptIdentical` makes creates refused with 409 take over an identical existing user or group:
 * meant for recovering from an interrupted `pulumi up`, not as a standing setting (left on, a
 * declaration that happens to match someone else's account takes it over). Reported where it is on:
 * the stack config, the DPOD_ADOPT_IDENTICAL environment variable, or a native provider's
 * configuration (explicit providers, and the default one when the engine did not pass the stack config).
 */
export function adoptIdenticalLeftOn(context: StackContext): StackValidationPolicy {
  return {
    name: "dpod-adopt-identical-left-on",
    description:
      "dpod:adoptIdentical is not left on once the interrupted update it was set for is recovered.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
      const dpodResources = args.resources.filter(
        (resource) =>
          resource.type === NATIVE_PROVIDER_TYPE ||
          dpodKindOf(resource.type, () => property(resource.props, "__provider")) !== undefined,
      );
      if (dpodResources.length === 0) return;
      const advice = "Turn it off once the interrupted update it was set for has been recovered.";
      const inStackConfig = isOn(context.dpodConfig("adoptIdentical"));
      if (inStackConfig) reportViolation(`Stack config dpod:adoptIdentical is on. ${advice}`);
      if (isOn(context.environment().DPOD_ADOPT_IDENTICAL)) {
        reportViolation(`The environment variable DPOD_ADOPT_IDENTICAL is on. ${advice}`);
      }
      for (const provider of dpodResources.filter((resource) => resource.type === NATIVE_PROVIDER_TYPE)) {
        const isDefault = provider.name.startsWith("default");
        if (!isOn(property(provider.props, "adoptIdentical")) || (isDefault && inStackConfig)) continue;
        reportViolation(`Provider "${provider.name}" has adoptIdentical on. ${advice}`, provider.urn);
      }
    },
  };
}
