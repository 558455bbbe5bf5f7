import { runScript } from '../run-script';
import type { PlatformName } from '../../domain/types';
import { DamagedRecord } from '../../errors';
import { keepParsed, tryRecord } from '../records';
import { execOrThrow } from '../redis';
import { RecordRepo } from '../repo-base';
import { materialSchema, pendingUploadSchema } from './material-schemas';
import type { Material, PendingUpload } from './material-types';

/*
 * Materials attached to duties (issue 14). Key layout (P = key prefix, C = `<platform>:<chatId>`, U = member id):
 *   P:duty:<dutyId>:materials      list    JSON Material, oldest first
 *   P:upload:<id>                  string  JSON PendingUpload, expires after UPLOAD_TTL_SECONDS
 *   P:attach-next:<platform>:U     string  the duty id `附件 #7` named for U's next file (sent in a group or one-to-one),
 *                                          expires after NEXT_TTL_SECONDS
 *   P:file-msg:<platform>:M        string  "1": the file message M was taken (a platform delivering it again is ignored),
 *                                          expires after UPLOAD_TTL_SECONDS
 *   P:upload-direct:<platform>:U   string  the id of U's latest upload sent one-to-one and waiting for a duty (`附件 #7`
 *                                          sent one-to-one takes it), expires with the upload
 * The content itself is in the blob store (src/store/files/blob-store.ts), named by its sha256.
 */

export const UPLOAD_TTL_SECONDS = 24 * 3600;
export const NEXT_TTL_SECONDS = 30 * 60;

/** RPUSH unless an entry with this id is in the list already (a duty has tens of materials: one LRANGE is cheap). */
const ADD_ONCE = `
for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local ok, m = pcall(cjson.decode, raw)
  if ok and type(m) == 'table' and m.id == ARGV[2] then return 0 end
end
redis.call('RPUSH', KEYS[1], ARGV[1])
return 1`;

export class MaterialRepo extends RecordRepo {
  private listKey = (dutyId: string): string => this.keys.duty(dutyId, 'materials');
  private uploadKey = (id: string): string => this.keys.k('upload', id);
  private nextKey = (platform: PlatformName, memberId: string): string => this.keys.k('attach-next', platform, memberId);
  private directKey = (platform: PlatformName, memberId: string): string => this.keys.k('upload-direct', platform, memberId);

  /**
   * Whether file message `messageId` is taken by this delivery: the first one (SET NX), or the same `delivery` again
   * (its job run again after its process died: src/platforms/file-port.ts). A platform's redelivery is taken once.
   * `SET … NX GET` answers the value already there, or nil when it set it (Redis 7: https://redis.io/docs/latest/commands/set/).
   */
  async takeDelivery(platform: PlatformName, messageId: string, delivery = '1'): Promise<boolean> {
    const before = await this.redis.call('SET', this.keys.k('file-msg', platform, messageId), delivery, 'EX', String(UPLOAD_TTL_SECONDS), 'NX', 'GET');
    return before === null || (delivery !== '1' && before === delivery);
  }

  /** Appended once per id: the same file job run again after its process died adds nothing (ADD_ONCE). */
  async add(material: Material): Promise<void> {
    await runScript(this.redis, ADD_ONCE, 1, this.listKey(material.dutyId), JSON.stringify(material), material.id);
  }

  /** A duty's materials, oldest first; a damaged record is reported with its key and left out. */
  async list(dutyId: string): Promise<Material[]> {
    const key = this.listKey(dutyId);
    const raw = await this.redis.lrange(key, 0, -1);
    return keepParsed(materialSchema, key, raw.map((r, i) => [String(i), r] as const), this.report);
  }

  /** Kept 24 hours; one sent one-to-one also becomes its sender's latest (one MULTI). */
  async savePending(upload: PendingUpload): Promise<void> {
    const tx = this.redis.multi().set(this.uploadKey(upload.id), JSON.stringify(upload), 'EX', UPLOAD_TTL_SECONDS);
    if (upload.direct === true) tx.set(this.directKey(upload.chat.platform, upload.by.id), upload.id, 'EX', UPLOAD_TTL_SECONDS);
    await execOrThrow(tx);
  }

  /** The member's latest upload sent one-to-one, while it waits for a duty. */
  async latestDirect(platform: PlatformName, memberId: string): Promise<PendingUpload | undefined> {
    const id = await this.redis.get(this.directKey(platform, memberId));
    const upload = id === null ? undefined : await this.peekPending(id);
    return upload?.by.id === memberId && upload.direct === true ? upload : undefined;
  }

  /** The pending upload, removed in the same step (one GETDEL: one click attaches it once). */
  async takePending(id: string): Promise<PendingUpload | undefined> {
    const key = this.uploadKey(id);
    const raw = await this.redis.getdel(key);
    return raw === null ? undefined : this.parse(raw, key);
  }

  async peekPending(id: string): Promise<PendingUpload | undefined> {
    const key = this.uploadKey(id);
    const raw = await this.redis.get(key);
    return raw === null ? undefined : this.parse(raw, key);
  }

  async setNext(platform: PlatformName, memberId: string, dutyId: string): Promise<void> {
    await this.redis.set(this.nextKey(platform, memberId), dutyId, 'EX', NEXT_TTL_SECONDS);
  }

  async next(platform: PlatformName, memberId: string): Promise<string | undefined> {
    return (await this.redis.get(this.nextKey(platform, memberId))) ?? undefined;
  }

  async clearNext(platform: PlatformName, memberId: string): Promise<void> {
    await this.redis.del(this.nextKey(platform, memberId));
  }

  private parse(raw: string, key: string): PendingUpload | undefined {
    const upload = tryRecord(pendingUploadSchema, raw, key);
    if (!(upload instanceof DamagedRecord)) return upload;
    this.report(upload);
    return undefined;
  }
}
