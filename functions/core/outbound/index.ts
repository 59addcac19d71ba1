export { LiveSender, type LiveSenderOptions } from './live-sender.js';
export {
  defaultOnAmbiguous,
  ON_AMBIGUOUS,
  type OnAmbiguous,
  OutboundConfigError,
  type OutboundPolicies,
  onAmbiguousFor,
  parseOutboundSection,
} from './outbound-policy.js';
export { type PlatformOutcomeOptions, settlePlatformOutcome } from './platform-outcomes.js';
export { redactionMarker, redactRequest } from './redact.js';
export { SandboxSender, type SandboxSenderOptions } from './sandbox-sender.js';
