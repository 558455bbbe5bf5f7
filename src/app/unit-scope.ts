import { chatKey, type ChatRef } from '../domain/types';
import { childrenOf, descendantsOf, UNIT_REFUSAL, type Unit } from '../domain/units';
import { AppError, ErrorCode } from '../errors';
import { chatOfKey, type UnitService } from './unit-service';

/** One chat a campaign reaches, with the name its summary shows. */
export interface CampaignTarget {
  readonly chat: ChatRef;
  readonly name: string;
}

/**
 * What campaigns ask of the units tree (src/app/campaign-service.ts): whether the chat they start from is a unit, and
 * the chats a scope reaches through the tree: 范围 下级 (the direct children), 范围 全部下级 (every unit below), or
 * unit names. A chat that is no unit, and a committee's scope naming chats, are read as before (undefined here).
 */
export interface UnitScopes {
  isUnit(chat: ChatRef): Promise<boolean>;
  /** `reachAll`: a superadmin or a committee chat (工委群), which may name any unit or chat. */
  targets(origin: ChatRef, scope: string, reachAll: boolean): Promise<CampaignTarget[] | undefined>;
}

const CHILDREN = /^(?:直属)?下级(?:单位)?$/;
const DESCENDANTS = /^(?:全部|所有)下级(?:单位)?$/;

export function unitScopes(service: UnitService): UnitScopes {
  return {
    isUnit: async (chat) => (await service.unitOf(chat)) !== undefined,
    async targets(origin, scope, reachAll) {
      const wanted = scope.trim();
      const units = await service.all();
      const here = units.find((u) => u.chat === chatKey(origin));
      const tree = CHILDREN.test(wanted) ? 'children' : DESCENDANTS.test(wanted) ? 'all' : undefined;
      if (tree) {
        if (!here) throw new AppError(ErrorCode.BadInput, `${UNIT_REFUSAL.notUnit}。也可以写群名：「范围 第一党支部,第二党支部」。`);
        const below = (tree === 'children' ? childrenOf(units, here.name) : descendantsOf(units, here.name)).filter((u) => u.chat !== undefined);
        if (below.length === 0) throw new AppError(ErrorCode.BadInput, UNIT_REFUSAL.noChildren(tree === 'all'));
        return below.flatMap(toTarget);
      }
      // 范围 全部 stays the committees' (工委群): read as before.
      if ((!here && !reachAll) || /^(?:全部|所有|全体)$/.test(wanted)) return undefined;
      const names = wanted.split(/[,，、\s]+/).filter(Boolean);
      const named = names.map((n) => units.find((u) => u.name === n && u.chat !== undefined));
      if (reachAll) return named.every((u) => u !== undefined) && names.length > 0 ? named.flatMap((u) => (u ? toTarget(u) : [])) : undefined;
      // A unit's own secretaries reach the units below it, by name, and nothing else.
      const below = here ? new Set(descendantsOf(units, here.name).map((u) => u.name)) : new Set<string>();
      const outside = names.filter((n) => !below.has(n));
      if (outside.length > 0) throw new AppError(ErrorCode.Forbidden, UNIT_REFUSAL.notBelow(outside));
      const unbound = names.filter((_n, i) => named[i] === undefined);
      if (unbound.length > 0) throw new AppError(ErrorCode.BadInput, UNIT_REFUSAL.unbound(unbound));
      return named.flatMap((u) => (u ? toTarget(u) : []));
    },
  };
}

function toTarget(unit: Unit): CampaignTarget[] {
  const chat = unit.chat ? chatOfKey(unit.chat) : undefined;
  return chat ? [{ chat, name: unit.name }] : [];
}
