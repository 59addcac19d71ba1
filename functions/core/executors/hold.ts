import type { ActionExecutor } from '../act.js';

/** `hold`: the action waits for a human; the approval queue lists records in status `held`. */
export const holdExecutor: ActionExecutor = async () => ({ status: 'held' });
