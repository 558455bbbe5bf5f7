/**
 * A key's Redis Cluster hash slot: CRC16 (XMODEM) of the key, or of the text inside its first non-empty `{…}`,
 * modulo 16384 (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#key-distribution-model,
 * the reference code in its Appendix A). test/cluster/slots.cluster.ts checks it against the cluster's CLUSTER KEYSLOT.
 */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  let crc = 0;
  for (const byte of Buffer.from(hashed, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}
