export { FakeFeishu, TOKEN_PATH } from './server';
export type {
  FailNextKind,
  FakeChat,
  FakeFeishuOptions,
  FakeMessage,
  FakeStats,
  FaultKind,
  FaultOptions,
  RandomFaultKind,
  RecordedCall,
} from './types';
export { DEFAULT_APP_ID, DEFAULT_APP_SECRET, FAKE_TENANT_KEY } from './state';
export { checkContent, isSharedCard, CARD_MAX_BYTES } from './card';
export { encryptForFeishu, decryptFromFeishu, feishuSignature } from './crypto';
export { pushToBot, type PushOptions, type PushResult } from './push';
export {
  cardActionEvent,
  memberEvent,
  messageEvent,
  urlVerification,
  userIds,
  DEFAULT_BOT_NAME,
  DEFAULT_BOT_OPEN_ID,
  DEFAULT_OPERATOR_OPEN_ID,
  DEFAULT_VERIFICATION_TOKEN,
  type Envelope,
  type EventHeader,
} from './events';
export { fileMessageEvent, type FileMessageInput } from './file-events';
export type { FakeResource } from './routes-resources';
export { larkClientFor, sdkFailure, silentLarkLogger, type SdkFailure } from './sdk';
