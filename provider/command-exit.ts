/**
 * How a pulumi-dpod command ends with a given exit code (provider/adopt/command.ts's runPulumiDpod maps
 * it): 2 for bad arguments or settings, 1 for a result that is not a success (e.g. doctor found a
 * contradiction). The message, if any, goes to stderr.
 */
export class CommandExit extends Error {
  constructor(
    readonly code: number,
    message = "",
  ) {
    super(message);
    this.name = "CommandExit";
  }
}
