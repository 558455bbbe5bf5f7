export { FakeDingTalk, CARD_CALLBACK_DEADLINE_MS } from './server';
export type {
  DingCall,
  DingCard,
  DingSent,
  FailNextKind,
  FakeDingGroup,
  FakeDingTalkOptions,
  FakeDingUser,
  FakeStats,
  FaultOptions,
  RandomFaultKind,
} from './types';
export { signHttp, signCard, pushHttp, pushHttpCard, type PushHttpOptions, type PushCardOptions, type PushHttpResult } from './http-push';
export { robotMessage, robotFileMessage, cardCallback, FAKE_BOT_DINGTALK_ID, type RobotMessageOptions, type RobotFileContent, type CardCallbackOptions } from './payloads';
export { UNKNOWN_CODE, LINK_TTL_MS, type FakeFile, type DownloadFault } from './files';
export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_SESSION_TTL_MS, FAKE_CORP_ID } from './state';
export { TOPIC_ROBOT, TOPIC_CARD, TICKET_TTL_MS, GATEWAY_PATH, type StreamAck, type PushResult } from './stream-proto';
export { QPS_CODE, type CodedFault } from './faults';
export { SESSION_EXPIRED_ERRCODE, MSG_KEYS } from './routes-robot';
