/**
 * The reserved input key in which the TypeScript SDK passes a resource's URN to the dynamic runtime (the
 * engine gives dynamic providers no URN). The runtime takes it out before any handler sees the inputs and
 * hands it over as HandlerContext.urn, as the native plugin does with the engine's URN. Stacks record
 * inputs under this key: it must not change.
 */
export const URN_KEY = "__urn";

/** The URN the SDK passed in the inputs (URN_KEY), and the inputs without it. */
export function takeUrn(props: unknown): { urn?: string; props: unknown } {
  if (typeof props !== "object" || props === null || Array.isArray(props) || !(URN_KEY in props))
    return { props };
  const { [URN_KEY]: urn, ...rest } = props as Record<string, unknown>;
  return typeof urn === "string" && urn !== "" ? { urn, props: rest } : { props: rest };
}
