import type { SignatureClaim, SignatureClaims } from '../../platforms/dingtalk/signature-ledger';
import type { SignedRoute } from '../../platforms/dingtalk/verify';
import { RedisStore } from '../repo-base';

/*
 * DingTalk signature pairs taken by HTTP requests (platforms/dingtalk/signature-ledger.ts says why):
 *   P:dingtalk:sig:<route>:<pair id>   string sha256(body)   for as long as the pair could pass the signature window
 */
export class DingTalkSignatures extends RedisStore implements SignatureClaims {
  async claim(route: SignedRoute, pairId: string, bodyDigest: string, ttlSeconds: number): Promise<SignatureClaim> {
    const key = this.keys.k('dingtalk', 'sig', route, pairId);
    if ((await this.redis.set(key, bodyDigest, 'EX', ttlSeconds, 'NX')) === 'OK') return 'first';
    return (await this.redis.get(key)) === bodyDigest ? 'repeat' : 'reused';
  }

  async release(route: SignedRoute, pairId: string): Promise<void> {
    await this.redis.del(this.keys.k('dingtalk', 'sig', route, pairId));
  }
}
