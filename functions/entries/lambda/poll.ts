import { pollStage } from '../../app/poll-handler.js';
import { adapters, lambdaHandler } from './powertools.js';

export const handler = lambdaHandler(pollStage(adapters));
