/**
 * What the evaluate Lambda loads at a cold start (its handler module and everything it imports),
 * plus the rule loader it calls once per container, so a child process can time both.
 */
export { handler } from '../functions/evaluate/handler.js';
export { loadRuleSet } from '../functions/rules/index.js';
