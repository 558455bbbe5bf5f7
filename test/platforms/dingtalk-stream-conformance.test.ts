import { describeConformance } from './adapter-conformance';
import { dingtalkWorld } from './dingtalk-world';

// Stream mode: messages reach the bot over the official SDK's WebSocket; cards call back over it (callbackType STREAM).
describeConformance('dingtalk (stream, card template)', () => dingtalkWorld('stream', true));
describeConformance('dingtalk (stream, markdown without a template)', () => dingtalkWorld('stream', false));
