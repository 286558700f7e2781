// Atomic, self-checking files under data/. Datasets, trained weights and histories all go
// through here, so an interrupted run never leaves a half-written file, and a corrupt or
// mismatched one is detected (and rebuilt by the caller) instead of being trusted.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A short, stable key for any JSON-able value (object keys sorted, so order never matters). */
export function keyOf(value: unknown): string {
  return sha256(stableStringify(value)).slice(0, 16);
}

export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/**
 * Writes via a temp file in the same folder, fsync, then rename: readers see the old file or
 * the new one, never a torn one. The temp name carries the pid so parallel writers never share it.
 */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

const MAGIC = Buffer.from('EA-BLOB1\n');

export interface Blob<H> {
  header: H;
  payload: Buffer;
}

/** Binary file: magic, JSON header (with the payload's sha256 and the caller's key), payload. */
export function writeBlob(file: string, key: string, header: object, payload: Uint8Array): void {
  const head = Buffer.from(
    JSON.stringify({ ...header, key, sha256: sha256(payload), bytes: payload.byteLength }),
  );
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  writeAtomic(file, Buffer.concat([MAGIC, len, head, payload]));
}

// `reason?: undefined` on the ok branch keeps `.reason` readable without narrowing, which
// matters because tslab type-checks this file without strictNullChecks.
export type BlobCheck<H> =
  { ok: true; blob: Blob<H>; reason?: undefined } | { ok: false; reason: string; blob?: undefined };

/** Reads and verifies a blob. Never throws for a bad file: it says why the file is unusable. */
export function readBlob<H extends object>(file: string, key: string): BlobCheck<H> {
  if (!fs.existsSync(file)) return { ok: false, reason: 'missing' };
  const buf = fs.readFileSync(file);
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    return { ok: false, reason: 'corrupt (bad magic bytes)' };
  }
  const headLen = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  let header: H & { key?: string; sha256?: string; bytes?: number };
  try {
    header = JSON.parse(buf.subarray(start, start + headLen).toString('utf8'));
  } catch {
    return { ok: false, reason: 'corrupt (unreadable header)' };
  }
  if (header.key !== key)
    return { ok: false, reason: `key mismatch (file has ${header.key}, wanted ${key})` };
  const payload = buf.subarray(start + headLen);
  if (payload.length !== header.bytes || sha256(payload) !== header.sha256) {
    return { ok: false, reason: 'corrupt (payload checksum does not match)' };
  }
  return { ok: true, blob: { header, payload } };
}

/** Moves an unusable file aside (never deletes it) so nothing already saved is lost. */
export function quarantine(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const dest = `${file}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(file, dest);
  return dest;
}

/** JSON with the same guarantees: atomic write; on read, a checked key and checksum. */
export function writeJsonChecked(file: string, key: string, value: unknown): void {
  const body = JSON.stringify(value);
  writeAtomic(
    file,
    JSON.stringify({ key, sha256: sha256(body), body: JSON.parse(body) }, null, 1) + '\n',
  );
}

export function readJsonChecked<T>(
  file: string,
  key: string,
): { ok: true; value: T; reason?: undefined } | { ok: false; reason: string; value?: undefined } {
  if (!fs.existsSync(file)) return { ok: false, reason: 'missing' };
  let doc: { key?: string; sha256?: string; body?: T };
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { ok: false, reason: 'corrupt (not valid JSON)' };
  }
  if (doc.key !== key)
    return { ok: false, reason: `key mismatch (file has ${doc.key}, wanted ${key})` };
  if (sha256(JSON.stringify(doc.body)) !== doc.sha256)
    return { ok: false, reason: 'corrupt (checksum does not match)' };
  return { ok: true, value: doc.body as T };
}
