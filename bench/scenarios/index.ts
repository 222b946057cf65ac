/** Every scenario, in the order a full run measures them. */
import { restScenarios } from './rest.ts';
import { deliveryScenarios } from './delivery.ts';
import { socketScenarios } from './sockets.ts';
import { nodeScenarios } from './nodes.ts';
import { livechatScenarios } from './livechat.ts';
import type { Scenario } from './scenario.ts';

/** The bench's scenarios. */
export const scenarios: Scenario[] = [...restScenarios, ...deliveryScenarios, ...socketScenarios, ...livechatScenarios, ...nodeScenarios];
