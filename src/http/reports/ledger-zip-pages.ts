import type { DutyRecord, MaterialEntry } from '../../app/ledger-service';
import { formatWall } from '../../domain/stats-format';
import { esc } from './html';
import { RECORD_STYLE, recordSection } from './record-page';

export interface ZipRecordInput {
  readonly record: DutyRecord;
  readonly chatName: string;
  readonly timeZone: string;
  readonly now: number;
  /** The file's name beside the page, or undefined when it could not be put in the ZIP. */
  readonly fileName: (m: MaterialEntry) => string | undefined;
  /** The ledger's index.html, relative to the page. */
  readonly indexHref: string;
}

const BACK_STYLE = '.back{font-size:.9rem;margin:0 0 .6rem}.missing{color:#b22}@media print{.back{display:none}}';

/**
 * A record page for the ZIP: the page of 记录 #7, self-contained (its style inline, nothing loaded from elsewhere)
 * and linking only to the files beside it and back to the ledger's index.html.
 */
export function renderZipRecord({ record, chatName, timeZone, now, fileName, indexHref }: ZipRecordInput): string {
  const title = `#${record.duty.number} ${record.duty.title} 记录`;
  const section = recordSection({
    record,
    chatName,
    timeZone,
    materialHref: (m) => {
      const name = fileName(m);
      return name === undefined ? undefined : encodeURIComponent(name);
    },
  });
  const missing = record.materials.filter((m) => fileName(m) === undefined);
  const note =
    missing.length === 0 ? '' : `<p class="meta missing">以下材料生成时无法读取，未放入本材料包：${missing.map((m) => esc(m.name)).join('、')}</p>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${RECORD_STYLE}${BACK_STYLE}</style></head>
<body><main>
<p class="back"><a href="${esc(indexHref)}">← 返回台账</a></p>
${section}
${note}
<p class="meta">本页取自台账材料包，生成于 ${formatWall(now, timeZone)}。材料文件与本页在同一文件夹。</p>
</main></body></html>
`;
}
