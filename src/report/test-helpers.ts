/** Test helpers: a writable that records what is written, as a terminal or a pipe. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export class FakeOut extends Writable {
  text = '';
  readonly isTTY: boolean;

  constructor(isTTY = false) {
    super();
    this.isTTY = isTTY;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/**
 * The JUnit XML schemas, as the junit-report crate (0.9.1, crates.io) ships them in its tests:
 * `JUnit.xsd` is Jenkins' junit-4 schema, `JUnit-alternative.xsd` the Apache Ant one. Downloaded
 * once from the crates.io registry, checked against its SHA-256, and kept in node_modules/.cache.
 */
export async function junitSchemas(): Promise<{ jenkins: string; ant: string }> {
  const cache = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/holdup-junit-xsd');
  const files = { jenkins: path.join(cache, 'JUnit.xsd'), ant: path.join(cache, 'JUnit-alternative.xsd') };
  if (!existsSync(files.jenkins) || !existsSync(files.ant)) {
    let crate: Buffer;
    try {
      const response = await fetch(JUNIT_CRATE.url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      crate = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw new Error(`cannot download ${JUNIT_CRATE.url} (the JUnit XSDs the junit tests validate against): ${(error as Error).message}; the crates.io registry must be reachable`);
    }
    const digest = createHash('sha256').update(crate).digest('hex');
    if (digest !== JUNIT_CRATE.sha256) throw new Error(`${JUNIT_CRATE.url}: SHA-256 ${digest}, expected ${JUNIT_CRATE.sha256}`);
    const entries = untar(gunzipSync(crate));
    await mkdir(cache, { recursive: true });
    for (const [key, name] of [['jenkins', 'JUnit.xsd'], ['ant', 'JUnit-alternative.xsd']] as const) {
      const entry = entries.get(`junit-report-0.9.1/tests/${name}`);
      if (!entry) throw new Error(`${JUNIT_CRATE.url} holds no tests/${name}`);
      await writeFile(files[key], entry);
    }
  }
  return { jenkins: await readFile(files.jenkins, 'utf8'), ant: await readFile(files.ant, 'utf8') };
}

const JUNIT_CRATE = {
  url: 'https://static.crates.io/crates/junit-report/junit-report-0.9.1.crate',
  sha256: 'cb201fc2964416320139f702d888df6a39685e648f68e3c910a77cfda99ce44d',
};

/** The regular files of a tar archive, by path (ustar headers: name at 0, size in octal at 124, type at 156, prefix at 345). */
function untar(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= archive.length; ) {
    const header = archive.subarray(at, at + 512);
    if (header.every((byte) => byte === 0)) break;
    const text = (from: number, length: number) => header.toString('utf8', from, from + length).replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const prefix = text(345, 155);
    const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const type = text(156, 1);
    if (type === '0' || type === '') files.set(name, archive.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Validates `xml` against `xsd` with libxml2 (xmllint, compiled to WebAssembly): the errors, none when valid. */
export async function xsdErrors(xml: string, xsd: string): Promise<string[]> {
  const { validateXML } = await import('xmllint-wasm');
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'schema.xsd', contents: xsd }] });
  return result.errors.map((error) => error.rawMessage);
}
