/* "Keep a copy": the programme in this language, with the client's answers, as a zip to keep.
 *
 * The build made the copy (keep-a-copy.js beside the programme's home: pages rewritten to open
 * from the disk, the stylesheet, the media) and the "My answers" page without its content. On
 * the client's request this module imports it (an import: the pages' policy allows no request),
 * fills that page with the client's record (record.js, as "My answers" shows it), and adds it
 * to the zip, which the browser then saves. Nothing is sent anywhere: the answers go from this
 * browser's storage into the file.
 *
 * The page is added to the zip without recompressing anything: the build's entries are kept as
 * they are, the new page is stored after them, and the zip's directory is written again with it.
 */
import {download} from "./answers.js";
import {showMessage} from "./messages.js";
import {writeRecord} from "./record.js";

const MARK = "<!-- icbt-answers -->";

/** The client's answers as HTML: their record as "My answers" writes it (record.js), without
 * charts; every answer set as text, so the markup holds none of theirs. */
export function answersHtml() {
  const record = document.createElement("div");
  if (!writeRecord(record, {level: 2, charts: false})) {
    showMessage("copyNone", record.appendChild(document.createElement("p")));
  }
  return record.innerHTML;
}

const CRC_TABLE = Array.from({length: 256}, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** zip with the file name (UTF-8) holding content added, stored: a new Uint8Array. */
export function addToZip(zip, name, content) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip");
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryStart = view.getUint32(end + 16, true);
  const nameBytes = new TextEncoder().encode(name);
  const crc = crc32(content);
  const local = new Uint8Array(30 + nameBytes.length);
  const central = new Uint8Array(46 + nameBytes.length);
  const l = new DataView(local.buffer);
  const c = new DataView(central.buffer);
  l.setUint32(0, 0x04034b50, true);
  c.setUint32(0, 0x02014b50, true);
  c.setUint16(4, 20, true);
  for (const [header, at] of [[l, 4], [c, 6]]) {
    header.setUint16(at, 20, true); // version needed
    header.setUint16(at + 2, 0x0800, true); // names in UTF-8
    header.setUint16(at + 4, 0, true); // stored
    header.setUint16(at + 6, 0, true); // 00:00
    header.setUint16(at + 8, 33, true); // 1980-01-01, as the build's entries
    header.setUint32(at + 10, crc, true);
    header.setUint32(at + 14, content.length, true);
    header.setUint32(at + 18, content.length, true);
    header.setUint16(at + 22, nameBytes.length, true);
  }
  c.setUint32(38, 0o100644 * 0x10000, true);
  c.setUint32(42, directoryStart, true);
  local.set(nameBytes, 30);
  central.set(nameBytes, 46);
  const tail = new Uint8Array(22);
  const t = new DataView(tail.buffer);
  t.setUint32(0, 0x06054b50, true);
  t.setUint16(8, count + 1, true);
  t.setUint16(10, count + 1, true);
  t.setUint32(12, directorySize + central.length, true);
  t.setUint32(16, directoryStart + local.length + content.length, true);
  const parts = [zip.subarray(0, directoryStart), local, content,
    zip.subarray(directoryStart, directoryStart + directorySize), central, tail];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function keepACopy(button, status) {
  const copy = await import(new URL(button.dataset.icbtKeepACopy, window.location.href).href);
  // A function, not a string: "$&" in an answer is the client's words, not a pattern.
  const page = copy.answersPage.replace(MARK, () => answersHtml());
  const zip = addToZip(fromBase64(copy.zip), copy.answersPath, new TextEncoder().encode(page));
  download(zip, "application/zip", copy.name);
  showMessage("copySaved", status);
}

/** Wire the "Download a copy" button, on the pages that have one. */
export function startKeepACopy() {
  const button = document.querySelector("[data-icbt-keep-a-copy]");
  const status = document.querySelector("[data-icbt-keep-a-copy-status]");
  if (!button || !status) return;
  button.addEventListener("click", () => {
    keepACopy(button, status).catch((error) => {
      console.error("icbt: the copy could not be made", error);
      showMessage("copyFailed", status);
    });
  });
}
