import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ZipArchive, ZipEntryData } from 'archiver';
import type { DutyRecord, Ledger, MaterialEntry, MaterialsSource } from '../../app/ledger-service';
import { formatWall } from '../../domain/stats-format';
import type { Logger } from '../../logger';
import { zonedParts } from '../../time/zoned';
import { renderLedgerPage } from './ledger-page';
import { ledgerXlsx } from './ledger-xlsx';
import { renderZipRecord } from './ledger-zip-pages';
import { FolderNames, relativeHref, safeName } from './zip-names';

/*
 * The ledger's ZIP (台账 → 下载全部材料（ZIP）), laid out so an inspector finds a meeting by its date:
 *
 *   台账-第一党支部-2026年/index.html                       the ledger table, each row linking to its 记录.html
 *   台账-第一党支部-2026年/台账.xlsx                         the workbook of the ledger page
 *   台账-第一党支部-2026年/支部党员大会/2026-03-12 学习贯彻 #7/记录.html   the record page, self-contained
 *   台账-第一党支部-2026年/支部党员大会/2026-03-12 学习贯彻 #7/会议照片.png  its materials beside it
 *
 * A period without duties gives index.html alone (saying so). Every name passes through zip-names.ts; archiver
 * flags non-ASCII names as UTF-8 (general purpose bit 11). The ZIP is streamed to the response entry by entry:
 * each material is opened only when its turn comes and read as the response drains, so neither the ZIP nor a
 * file is ever whole in memory.
 */

export interface LedgerZipInput {
  readonly ledger: Ledger;
  readonly materials: MaterialsSource;
  readonly timeZone: string;
  readonly log: Logger;
}

/** Materials kept compressed already (images, PDFs, Office files, archives, media) are stored, the rest deflated. */
const deflates = (type: string): boolean => /^text\//.test(type) || /json|xml|csv|svg/.test(type);

interface PlannedRecord {
  readonly record: DutyRecord;
  /** Category folder, then the duty's folder, under the root. */
  readonly dir: readonly [string, string];
  readonly files: ReadonlyMap<string, string>;
}

export const RECORD_FILE = '记录.html';

/** Where each record and file goes: names fixed before anything is written, so index.html can link them all. */
export function planLedgerZip(ledger: Ledger, timeZone: string): { root: string; records: PlannedRecord[] } {
  const root = safeName(`台账-${ledger.chatName}-${ledger.period.title}`, 60);
  const categories = new FolderNames();
  const records: PlannedRecord[] = [];
  for (const g of ledger.groups) {
    const category = categories.take(g.category);
    const folders = new FolderNames();
    for (const r of g.records) {
      const cancelled = r.duty.state === 'cancelled' ? '（已取消）' : '';
      // The title shortened first, so that the date and the number always stay in the folder's name.
      const folder = folders.take(`${formatWall(r.duty.at, timeZone).slice(0, 10)} ${safeName(r.duty.title, 30)}${cancelled} #${r.duty.number}`);
      const names = new FolderNames();
      names.take(RECORD_FILE);
      records.push({ record: r, dir: [category, folder], files: new Map(r.materials.map((m) => [m.id, names.take(m.name)])) });
    }
  }
  return { root, records };
}

/** ZIP entries' times are wall-clock times without a zone: written as Beijing time, as the ledger shows them. */
function wallDate(ms: number, timeZone: string): Date {
  const p = zonedParts(ms, timeZone);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second));
}

/** Write the ledger's ZIP to `out` (the HTTP response); resolves once all of it is written. */
export async function writeLedgerZip({ ledger, materials, timeZone, log }: LedgerZipInput, out: Writable): Promise<void> {
  // Loaded on first use, like exceljs: most processes never build a ZIP (bench:startup).
  const { ZipArchive: Zip } = await import('archiver');
  const zip: ZipArchive = new Zip({ zlib: { level: 6 } });
  const { root, records } = planLedgerZip(ledger, timeZone);
  const date = wallDate(ledger.now, timeZone);
  let current: Readable | undefined;
  let failure: unknown;
  zip.on('warning', (err) => log.warn({ err }, 'ledger zip warning'));
  // The response closed early (the reader went away) or the archive failed: stop reading the file being sent.
  const written = pipeline(zip, out).catch((err: unknown) => {
    failure ??= err;
    current?.destroy();
    throw err;
  });
  written.catch(() => undefined);

  /** Append one entry and wait until the archive has taken all of it (so one file at a time is open). */
  const add = (source: Readable | Buffer | string, data: ZipEntryData): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (failure !== undefined) return reject(failure);
      const stream = source instanceof Readable ? source : undefined;
      const done = (err?: unknown): void => {
        zip.off('entry', onEntry).off('error', done).off('close', onClose);
        stream?.off('error', done);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onEntry = (): void => done();
      const onClose = (): void => done(failure ?? new Error('ledger zip closed early'));
      zip.once('entry', onEntry).once('error', done).once('close', onClose);
      stream?.once('error', done);
      zip.append(source, { date, ...data });
    });

  try {
    const recordHrefs = new Map(records.map((p) => [p.record.duty.id, relativeHref(...p.dir, RECORD_FILE)]));
    const held = records.length > 0;
    const index = renderLedgerPage({
      ledger,
      timeZone,
      recordHref: (r) => recordHrefs.get(r.duty.id) ?? '',
      ...(held ? { xlsxHref: relativeHref('台账.xlsx') } : {}),
      intro: held ? '每项活动的记录（记录.html）和材料在「类别/日期 名称 #编号」文件夹中；点表格中的「记录」打开。' : '本材料包只有这一页：这段时间没有活动。',
    });
    await add(index, { name: `${root}/index.html` });
    if (held) await add(await ledgerXlsx(ledger, timeZone), { name: `${root}/台账.xlsx`, store: true });
    for (const planned of records) await addRecord(planned);
    void zip.finalize().catch(() => undefined);
    await written;
  } catch (err) {
    zip.abort();
    current?.destroy();
    out.destroy();
    throw err;
  }

  async function addRecord({ record, dir, files }: PlannedRecord): Promise<void> {
    const folder = `${root}/${dir[0]}/${dir[1]}`;
    const missing = new Set<string>();
    for (const m of record.materials) {
      const body = await openMaterial(record, m);
      if (!body) {
        missing.add(m.id);
        continue;
      }
      current = body;
      await add(body, { name: `${folder}/${files.get(m.id) ?? m.id}`, date: wallDate(m.at, timeZone), store: !deflates(m.type) });
      current = undefined;
    }
    const html = renderZipRecord({
      record,
      chatName: ledger.chatName,
      timeZone,
      now: ledger.now,
      fileName: (m) => (missing.has(m.id) ? undefined : files.get(m.id)),
      indexHref: '../../index.html',
    });
    await add(html, { name: `${folder}/${RECORD_FILE}` });
  }

  /** A material's bytes, or undefined (logged) when its file cannot be opened: the record page says so. */
  async function openMaterial(record: DutyRecord, m: MaterialEntry): Promise<Readable | undefined> {
    try {
      const file = await materials.open?.(record.duty, m.id);
      if (!file) log.warn({ dutyId: record.duty.id, materialId: m.id }, 'ledger zip: material gone');
      if (!file) return undefined;
      return file.body instanceof Readable ? file.body : new Readable().wrap(file.body);
    } catch (err) {
      log.warn({ err, dutyId: record.duty.id, materialId: m.id }, 'ledger zip: material unreadable');
      return undefined;
    }
  }
}
