// `npm run demo` is the README's first command: it must narrate every step and exit 0, and leave no
// process behind (its emulator runs in-process; every pulumi command has ended when it returns).
import { spawn } from "node:child_process";
import { repositoryRoot } from "../../scripts/lib/engine";

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "demo"], {
      cwd: repositoryRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run demo", () => {
  it("runs the main job on the embedded emulator and exits 0", async () => {
    const { code, stdout, stderr } = await runDemo();
    expect({ code, stderr: code === 0 ? "" : stderr, stdout: code === 0 ? "" : stdout }).toEqual({
      code: 0,
      stderr: "",
      stdout: "",
    });
    for (const step of [
      "pulumi up created the tenant objects",
      "secret [secret]",
      "no drift",
      "Out-of-band change",
      "naming alice (phoneNumber) and ops (description)",
      "matches the program again",
      "refused at preview by dpod-credential-rotation",
      "with no API call",
      "old secret refused, new accepted",
      "back to what it was before",
      "every step behaved as expected",
    ]) {
      expect(stdout).toContain(step);
    }
  });
});
