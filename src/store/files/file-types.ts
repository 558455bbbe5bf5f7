/**
 * The kinds of file a duty accepts as material (issue 14): PDF, Word, Excel, PowerPoint, JPEG, PNG and plain text,
 * checked twice: by the name's extension and by the file's first bytes ("magic numbers"), so a renamed program is
 * refused. Signatures: https://en.wikipedia.org/wiki/List_of_file_signatures (PDF `%PDF-`, PNG, JPEG `FF D8 FF`,
 * ZIP `PK\x03\x04` for the Office Open XML formats, OLE2 `D0 CF 11 E0 A1 B1 1A E1` for the older .doc/.xls/.ppt).
 */

export interface FileType {
  /** The MIME type served back when the file is downloaded. */
  readonly mime: string;
  /** What the reply calls it. */
  readonly label: string;
}

type Magic = 'pdf' | 'zip' | 'ole' | 'jpeg' | 'png' | 'text';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const SIGNATURES: Record<Exclude<Magic, 'text'>, readonly number[]> = {
  pdf: [0x25, 0x50, 0x44, 0x46, 0x2d],
  zip: ZIP,
  ole: OLE,
  jpeg: [0xff, 0xd8, 0xff],
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};

const BY_EXTENSION: Record<string, FileType & { readonly magic: Magic }> = {
  pdf: { mime: 'application/pdf', label: 'PDF', magic: 'pdf' },
  doc: { mime: 'application/msword', label: 'Word', magic: 'ole' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word', magic: 'zip' },
  xls: { mime: 'application/vnd.ms-excel', label: 'Excel', magic: 'ole' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel', magic: 'zip' },
  ppt: { mime: 'application/vnd.ms-powerpoint', label: 'PowerPoint', magic: 'ole' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', label: 'PowerPoint', magic: 'zip' },
  jpg: { mime: 'image/jpeg', label: '图片', magic: 'jpeg' },
  jpeg: { mime: 'image/jpeg', label: '图片', magic: 'jpeg' },
  png: { mime: 'image/png', label: '图片', magic: 'png' },
  txt: { mime: 'text/plain; charset=utf-8', label: '文本', magic: 'text' },
};

/** The bytes needed to tell a file's kind from its start. */
export const HEAD_BYTES = 512;

/** What may be attached, as the refusal lists it. */
export const ALLOWED_TYPES_TEXT = 'PDF、Word、Excel、PowerPoint、JPG、PNG 图片或 TXT 文本';

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** The kind the name claims, when it is one we accept. */
export function typeByName(name: string): (FileType & { readonly magic: Magic }) | undefined {
  return BY_EXTENSION[extensionOf(name)];
}

/**
 * The kind of a file named `name` whose first bytes are `head` (up to HEAD_BYTES, fewer when the file is shorter):
 * undefined unless the extension is accepted and the bytes match it. Plain text: no NUL byte in its start.
 */
export function detectType(name: string, head: Uint8Array): FileType | undefined {
  const claimed = typeByName(name);
  if (!claimed) return undefined;
  if (claimed.magic === 'text') return head.includes(0) ? undefined : { mime: claimed.mime, label: claimed.label };
  const signature = SIGNATURES[claimed.magic];
  if (head.length < signature.length) return undefined;
  return signature.every((byte, i) => head[i] === byte) ? { mime: claimed.mime, label: claimed.label } : undefined;
}
