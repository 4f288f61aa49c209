import { createHash } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";

/**
 * What an uploaded file is, decided from its bytes (never from its name or the browser's claimed
 * type), and images made safe to show: decoded and encoded again, which keeps the pixels and drops
 * everything else (EXIF with its GPS position, comments, embedded thumbnails, trailing data).
 */

/** Images: shown inline. Each keeps its format when it is encoded again. */
const IMAGES = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" } as const;
/** Everything else people attach: always downloaded, never shown by the browser. */
const FILES = {
  "application/pdf": "pdf",
  "application/zip": "zip",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
} as const;
/** Text has no signature: a file nothing else matches is text when it is UTF-8 without NULs. */
const TEXTS = { "text/plain": "txt", "text/csv": "csv", "text/markdown": "md" } as const;

export type ContentType = keyof typeof IMAGES | keyof typeof FILES | keyof typeof TEXTS;

/** What the refusal names, so a person knows what to send instead. */
export const ALLOWED_DESCRIPTION = "images (PNG, JPEG, GIF, WebP), PDF, ZIP, Word, Excel and PowerPoint files (.docx, .xlsx, .pptx), and plain text (.txt, .csv, .md)";

export const EXTENSIONS: Record<ContentType, string> = { ...IMAGES, ...FILES, ...TEXTS };

export function isImage(contentType: string): contentType is keyof typeof IMAGES {
  return contentType in IMAGES;
}

/** A refusal the uploader can act on, with the HTTP status it answers with. */
export class UploadRefused extends Error {
  override name = "UploadRefused";
  constructor(
    readonly status: 400 | 413 | 415 | 429 | 503 | 507,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The type of `bytes` by their content; `filename` only picks between the kinds of text. Null: not a type we take. */
export async function detectContentType(bytes: Uint8Array, filename: string): Promise<ContentType | null> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) return found.mime in IMAGES || found.mime in FILES ? (found.mime as ContentType) : null;
  if (!isUtf8Text(bytes)) return null;
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (extension === "csv") return "text/csv";
  if (extension === "md" || extension === "markdown") return "text/markdown";
  return "text/plain";
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    // Not UTF-8: a binary format file-type does not know, which we don't take either.
    return false;
  }
}

export type Processed = { bytes: Uint8Array; width: number | null; height: number | null };

/**
 * An image decoded and encoded again in its own format: turned upright by its EXIF orientation,
 * then written without any metadata (sharp writes none unless asked). Animated GIFs and WebPs keep
 * their frames. Images over `maxPixels` are refused from their header, before any pixel is decoded,
 * so a small file that would unpack to gigabytes (a decompression bomb) costs nothing.
 */
export async function reencodeImage(bytes: Uint8Array, contentType: keyof typeof IMAGES, maxPixels: number): Promise<Processed> {
  const animated = contentType === "image/gif" || contentType === "image/webp";
  const options = { animated, limitInputPixels: maxPixels, failOn: "error" } as const;
  let output: Buffer;
  try {
    // The header alone: its size is known before a single pixel is decoded.
    const header = await sharp(bytes, { animated, limitInputPixels: false }).metadata();
    const pixels = (header.width ?? 0) * (header.pageHeight ?? header.height ?? 0) * (animated ? (header.pages ?? 1) : 1);
    if (pixels > maxPixels) throw new UploadRefused(413, `This image is too large: at most ${maxPixels.toLocaleString("en")} pixels (width × height, all frames together).`);
    // limitInputPixels stays on as well, should a format's header understate what it decodes to.
    const image = sharp(bytes, options).autoOrient();
    if (contentType === "image/png") output = await image.png().toBuffer();
    else if (contentType === "image/jpeg") output = await image.jpeg({ quality: 90, mozjpeg: true }).toBuffer();
    else if (contentType === "image/webp") output = await image.webp({ quality: 90 }).toBuffer();
    else output = await image.gif().toBuffer();
  } catch (error) {
    if (error instanceof UploadRefused) throw error;
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw new UploadRefused(413, "This image has too many pixels to process.", { cause: error });
    // A truncated or malformed image.
    throw new UploadRefused(415, "This image could not be read: it may be damaged.", { cause: error });
  }
  const written = await sharp(output, { animated }).metadata();
  return { bytes: new Uint8Array(output), width: written.width ?? null, height: written.pageHeight ?? written.height ?? null };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

// Characters a file name never keeps: path separators, quotes, markdown and shell punctuation,
// controls, and the invisible formatting characters that can make "exe.pdf" read as "fdp.exe".
const UNSAFE_IN_NAME = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}"'`<>:|?*\\/[\]()#%&{}$!;=@^~]/gu;

/**
 * A file name safe to store, show and send back in Content-Disposition: the last path segment,
 * without controls, quotes or markup characters, at most 100 characters, and ending in the
 * extension of the type found in its content (a ".png" that holds a PDF becomes ".pdf").
 */
export function safeFilename(original: string, contentType: ContentType): string {
  const extension = EXTENSIONS[contentType];
  const last = original.split(/[/\\]/).at(-1) ?? "";
  let stem = last.normalize("NFC").replace(UNSAFE_IN_NAME, "_").replace(/\s+/g, " ").trim();
  // Drop the extension it came with when it is one of ours or one the content contradicts.
  const dot = stem.lastIndexOf(".");
  if (dot > 0 && /^[a-z0-9]{1,10}$/i.test(stem.slice(dot + 1))) {
    const given = stem.slice(dot + 1).toLowerCase();
    const sameType = given === extension || (extension === "jpg" && given === "jpeg") || (extension === "md" && given === "markdown");
    if (sameType || !contentType.startsWith("text/")) stem = stem.slice(0, dot);
    else stem = stem.slice(0, dot) + "_" + given;
  }
  stem = stem.replace(/^[.\s_-]+|[.\s]+$/g, "").slice(0, 90);
  return `${stem || "file"}.${extension}`;
}

/** RFC 6266: a plain ASCII `filename` for old clients and the exact name as UTF-8 in `filename*`. */
export function contentDisposition(type: "inline" | "attachment", filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
