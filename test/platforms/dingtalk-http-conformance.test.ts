import { describeConformance } from './adapter-conformance';
import { dingtalkWorld } from './dingtalk-world';

// HTTP mode: signed POSTs to /dingtalk/events and /dingtalk/card; cards call back over HTTP (a registered route).
describeConformance('dingtalk (http, card template)', () => dingtalkWorld('http', true));
describeConformance('dingtalk (http, markdown without a template)', () => dingtalkWorld('http', false));
