/**
 * scripts/lib/emulator-process.ts: the emulator CLI in a child process answers in the dialects it was
 * started with, and an unknown dialect stops the start with the CLI's error.
 */
import { emulatorAdmin, startEmulatorProcess } from "../../../scripts/lib/emulator-process";

jest.setTimeout(90_000);

it("starts the CLI with --dialect, and the emulator answers in those dialects", async () => {
  const emulator = await startEmulatorProcess({ dialects: ["one-based-pages", "slice-pages"] });
  try {
    const answer = (await emulatorAdmin(emulator.info, "GET", "dialects")) as { active: string[] };
    expect(answer.active).toEqual(["one-based-pages", "slice-pages"]);
  } finally {
    await emulator.stop();
  }
});

it("fails to start on an unknown dialect", async () => {
  await expect(startEmulatorProcess({ dialects: ["two-based-pages"] })).rejects.toThrow(
    /exited before printing its address/,
  );
});
