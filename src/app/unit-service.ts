import { createHash } from 'node:crypto';
import type { Config } from '../config';
import { parseOrgFile } from '../domain/org-file';
import { chatKey, type ChatRef, type Member, type PlatformName } from '../domain/types';
import { ancestorsOf, inferLevel, levelNamed, rankOf, treeProblem, UNIT_REFUSAL, unitNameSchema, type Unit, type UnitLevel } from '../domain/units';
import { AppError, ErrorCode } from '../errors';
import { UnitRepo, type PendingUnit, type UnitChange } from '../store/unit-repo';

/** How many times a write is tried again when another write came in between (compare-and-set on the version). */
const WRITE_TRIES = 5;

export interface UnitServiceDeps {
  readonly config: Pick<Config, 'BOT_SUPERADMINS'>;
  readonly units: UnitRepo;
  /** The members who run a chat's party affairs (ChatRoles.secretaries). */
  readonly secretaries: (chat: ChatRef) => Promise<readonly Pick<Member, 'id'>[]>;
}

/** What 本群 … asks for: this chat becomes (or stays, renamed or moved) the unit `name`. */
export interface UnitRequest {
  readonly chat: ChatRef;
  readonly name: string;
  /** The level as typed after 级别; read from the name's ending when absent. */
  readonly levelWord?: string;
  /** The parent's name as typed after 上级. */
  readonly parent?: string;
  readonly actor: Pick<Member, 'id' | 'name'>;
  readonly direct?: boolean;
}

export type UnitOutcome =
  | { readonly kind: 'done'; readonly unit: Unit; readonly changed: boolean }
  /** No parent was given: the units it may go under, to choose from (a card, or the text of one). */
  | { readonly kind: 'choose'; readonly pending: PendingUnit; readonly candidates: readonly Unit[] };

const PLATFORMS: readonly PlatformName[] = ['sandbox', 'feishu', 'dingtalk'];

/** `feishu:oc_1` → the chat; undefined for anything else. */
export function chatOfKey(key: string): ChatRef | undefined {
  const i = key.indexOf(':');
  const platform = PLATFORMS.find((p) => p === key.slice(0, i));
  return platform && i < key.length - 1 ? { platform, chatId: key.slice(i + 1) } : undefined;
}

/**
 * The organisation's units (issue 15): registering a chat as a unit under its parent (本群 …), the tree around a
 * chat (组织), the admin API's whole-tree reads and writes and the org file's import. Every write checks the whole
 * tree (src/domain/units.ts treeProblem) and is one compare-and-set in the store, with who did it in the history.
 */
export class UnitService {
  constructor(private readonly deps: UnitServiceDeps) {}

  async all(): Promise<readonly Unit[]> {
    return (await this.deps.units.read()).units;
  }

  async unitOf(chat: ChatRef): Promise<Unit | undefined> {
    const key = chatKey(chat);
    return (await this.all()).find((u) => u.chat === key);
  }

  async history(): Promise<UnitChange[]> {
    return this.deps.units.history();
  }

  private isSuperadmin = (actor: Pick<Member, 'id'>): boolean => this.deps.config.BOT_SUPERADMINS.includes(actor.id);

  /** A superadmin, or a secretary of the chat of `parent` or of any unit above it. */
  async mayRegisterUnder(units: readonly Unit[], parent: string | undefined, actor: Pick<Member, 'id'>): Promise<boolean> {
    if (this.isSuperadmin(actor)) return true;
    if (parent === undefined) return false;
    const self = units.find((u) => u.name === parent);
    const line = self ? [self, ...ancestorsOf(units, parent)] : [];
    for (const u of line) {
      const chat = u.chat ? chatOfKey(u.chat) : undefined;
      if (chat && (await this.deps.secretaries(chat)).some((m) => m.id === actor.id)) return true;
    }
    return false;
  }

  /** 本群 <名称> [级别 <级别>] [上级 <上级>]: register, rename or move this chat's unit; without 上级, the choice. */
  async register(req: UnitRequest, now: number): Promise<UnitOutcome> {
    if (req.direct) throw new AppError(ErrorCode.BadInput, UNIT_REFUSAL.direct);
    const name = req.name.trim();
    if (!unitNameSchema.safeParse(name).success) throw new AppError(ErrorCode.BadInput, UNIT_REFUSAL.badName(name));
    const level = this.readLevel(name, req.levelWord);
    if (req.parent === undefined && level !== '工委') {
      const { units } = await this.deps.units.read();
      const here = chatKey(req.chat);
      const candidates = units.filter((u) => rankOf(u.level) < rankOf(level) && u.chat !== here && u.name !== name);
      if (candidates.length === 0) {
        throw new AppError(ErrorCode.BadInput, `还没有可以做「${name}」上级的单位：请先在上级单位的群里登记上级，或请超级管理员导入组织架构（data/org.yaml）。`);
      }
      const pending: PendingUnit = { id: UnitRepo.newPendingId(), chat: here, name, level, by: req.actor.id };
      await this.deps.units.savePending(pending);
      return { kind: 'choose', pending, candidates: [...candidates].sort((a, b) => rankOf(a.level) - rankOf(b.level)) };
    }
    return this.apply(req.chat, name, level, req.parent?.trim(), req.actor, now);
  }

  /** A tap on the parent-choice card: the pending registration goes under `parent`, once. */
  async chooseParent(pendingId: string, parent: string, actor: Pick<Member, 'id' | 'name'>, now: number): Promise<Unit | undefined> {
    const pending = await this.deps.units.peekPending(pendingId);
    if (!pending) return undefined;
    const chat = chatOfKey(pending.chat);
    if (!chat) return undefined;
    if (!(await this.mayRegisterUnder(await this.all(), parent, actor))) throw new AppError(ErrorCode.Forbidden, UNIT_REFUSAL.who);
    if (!(await this.deps.units.takePending(pendingId))) return undefined;
    return (await this.apply(chat, pending.name, pending.level, parent, actor, now)).unit;
  }

  private readLevel(name: string, word: string | undefined): UnitLevel {
    if (word !== undefined) {
      const level = levelNamed(word);
      if (!level) throw new AppError(ErrorCode.BadInput, UNIT_REFUSAL.badLevel(word));
      return level;
    }
    const level = inferLevel(name);
    if (!level) throw new AppError(ErrorCode.BadInput, UNIT_REFUSAL.noLevel(name));
    return level;
  }

  private async apply(chat: ChatRef, name: string, level: UnitLevel, parent: string | undefined, actor: Pick<Member, 'id' | 'name'>, now: number): Promise<{ kind: 'done'; unit: Unit; changed: boolean }> {
    const here = chatKey(chat);
    for (let attempt = 0; attempt < WRITE_TRIES; attempt++) {
      const { version, units, source } = await this.deps.units.read();
      if (parent === undefined ? !this.isSuperadmin(actor) : !(await this.mayRegisterUnder(units, parent, actor))) {
        throw new AppError(ErrorCode.Forbidden, parent === undefined ? UNIT_REFUSAL.top : UNIT_REFUSAL.who);
      }
      const mine = units.find((u) => u.chat === here);
      const named = units.find((u) => u.name === name);
      if (named?.chat !== undefined && named.chat !== here) throw new AppError(ErrorCode.BadInput, UNIT_REFUSAL.taken(name));
      if (mine && named && mine !== named) {
        throw new AppError(ErrorCode.BadInput, `本群已登记为「${mine.name}」，而「${name}」是另一个已登记的单位（尚未绑定群）：请超级管理员在组织架构中调整。`);
      }
      const unit: Unit = { name, level, ...(parent !== undefined ? { parent } : {}), chat: here };
      const before = mine ?? named;
      if (before && sameUnit(before, unit)) return { kind: 'done', unit, changed: false };
      const renamed = mine && mine.name !== name ? mine.name : undefined;
      const next = units
        .filter((u) => u !== before)
        .map((u) => (renamed !== undefined && u.parent === renamed ? { ...u, parent: name } : u));
      next.push(unit);
      const problem = treeProblem(next);
      if (problem) throw new AppError(ErrorCode.BadInput, problem.message);
      const what = `${before ? (renamed ? `改名「${renamed}」为` : '修改') : '登记'}${here}为「${name}」（${level}${parent ? `，上级「${parent}」` : ''}）`;
      if (await this.deps.units.write(version, next, { at: now, by: `${actor.name}（${actor.id}）`, what }, source)) return { kind: 'done', unit, changed: true };
    }
    throw new AppError(ErrorCode.Conflict, '组织架构正在被别人修改，请稍后再试。');
  }

  /** The whole tree replaced (the admin API's PUT, the org file): checked whole, all of it or nothing. */
  async replaceAll(units: readonly Unit[], by: string, now: number, what = '整体替换组织架构', source?: string): Promise<void> {
    const problem = treeProblem(units);
    if (problem) throw new AppError(ErrorCode.BadInput, problem.message);
    const { version } = await this.deps.units.read();
    const done = await this.deps.units.write(version, units, { at: now, by, what: `${what}（${units.length} 个单位）` }, source);
    if (!done) throw new AppError(ErrorCode.Conflict, '组织架构正在被别人修改，请稍后再试。');
  }

  /**
   * The org file's text imported, all or nothing. A unit the file binds to no chat keeps the chat it had under the
   * same name. With `once`, a file whose digest was imported last is skipped (the import at start). The answer says
   * how many units, or throws the problem with its line.
   */
  async importOrgFile(text: string, by: string, now: number, options: { readonly once?: boolean } = {}): Promise<{ units: number; skipped: boolean }> {
    const source = createHash('sha256').update(text).digest('hex').slice(0, 32);
    const current = await this.deps.units.read();
    if (options.once && current.source === source) return { units: current.units.length, skipped: true };
    const parsed = parseOrgFile(text);
    if (!parsed.ok) throw new AppError(ErrorCode.BadInput, `组织架构文件有误，未导入任何内容。${parsed.error}`);
    const kept = new Map(current.units.flatMap((u) => (u.chat ? [[u.name, u.chat] as const] : [])));
    const bound = new Set(parsed.units.flatMap((u) => (u.chat ? [u.chat] : [])));
    const units = parsed.units.map((u) => {
      const chat = u.chat ?? kept.get(u.name);
      return chat && (u.chat || !bound.has(chat)) ? { ...u, chat } : u;
    });
    await this.replaceAll(units, by, now, '导入组织架构文件', source);
    return { units: units.length, skipped: false };
  }
}

const sameUnit = (a: Unit, b: Unit): boolean => a.name === b.name && a.level === b.level && a.parent === b.parent && a.chat === b.chat;
