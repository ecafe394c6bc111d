/**
 * The credential pair(s) a stack records for its one RotatingClientCredential, read from an exported
 * state with secrets shown (the outputs show only the current pair): the YAML and Python rotation tests.
 */
export interface Pair {
  id: string;
  secret: string;
}

export interface RecordedPairs {
  current: Pair;
  previous?: Pair;
  slot: string;
}

interface ExportedState {
  deployment: { resources?: { type: string; outputs?: Record<string, unknown> }[] };
}

/** A secret output as `pulumi stack export --show-secrets` writes it, in plain. */
function plain(value: unknown): unknown {
  return typeof value === "object" && value !== null && "plaintext" in value
    ? JSON.parse(String((value as { plaintext: string }).plaintext))
    : value;
}

export function recordedPairsOf(state: ExportedState): RecordedPairs {
  const outs =
    state.deployment.resources?.find((r) => r.type === "dpod:index:RotatingClientCredential")?.outputs ?? {};
  const current = { id: String(outs.clientId), secret: String(plain(outs.clientSecret)) };
  const previous =
    outs.previousClientId === undefined
      ? undefined
      : { id: String(outs.previousClientId), secret: String(plain(outs.previousClientSecret)) };
  return { current, previous, slot: String(outs.currentSlot) };
}
