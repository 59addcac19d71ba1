/**
 * What the evaluate Lambda loads at a cold start (its handler module and everything it imports),
 * plus the rule loader it calls once per container (the rule set compiled at synth), so a child
 * process can time both.
 */
export { handler } from '../functions/evaluate/handler.js';
export { loadDeployedRules } from '../functions/evaluate/load-rules.js';
