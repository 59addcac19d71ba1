export { LiveSender, type LiveSenderOptions } from './live-sender.js';
export { redactionMarker, redactRequest } from './redact.js';
export { SandboxSender, type SandboxSenderOptions } from './sandbox-sender.js';
