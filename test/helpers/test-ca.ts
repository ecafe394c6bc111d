/**
 * A private certificate authority made for one test run, and a server certificate it signed: what a
 * company's TLS-inspecting proxy or internal DPoD mirror looks like to the provider. Nothing is committed:
 * keys are generated at test time.
 */
import { generate } from "selfsigned";

export interface TestCertificates {
  /** The CA certificate (PEM): what NODE_EXTRA_CA_CERTS points at. */
  caCert: string;
  /** The server's certificate (PEM) and key, for `names`. */
  cert: string;
  key: string;
}

export async function makeTestCertificates(names: string[]): Promise<TestCertificates> {
  const notAfterDate = new Date(Date.now() + 24 * 3600 * 1000);
  const ca = await generate([{ name: "commonName", value: "pulumi-dpod test CA" }], {
    keyType: "ec",
    algorithm: "sha256",
    curve: "P-256",
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: names[0]! }], {
    keyType: "ec",
    algorithm: "sha256",
    curve: "P-256",
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: names.map((value) =>
          /^[\d.]+$/.test(value) ? { type: 7, ip: value } : { type: 2, value },
        ),
      },
    ],
  });
  return { caCert: ca.cert, cert: server.cert, key: server.private };
}
