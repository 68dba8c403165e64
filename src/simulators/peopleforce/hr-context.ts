import type { SimState } from './sim-state.js';
import type { WebhookTopic } from './webhook-topics.js';

/** What the write actions share: the data, injected time, and where change notices go. */
export interface HrContext {
  state: SimState;
  now: () => number;
  today: () => string;
  /** Called synchronously with the payload as it is at the moment of the change. */
  emit: (topic: WebhookTopic, data: unknown) => void;
}
