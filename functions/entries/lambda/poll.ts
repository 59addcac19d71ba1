import { pollStage } from '../../app/poll-handler.js';
import { lambdaAdapters, lambdaHandler } from './powertools.js';

export const handler = lambdaHandler(pollStage(lambdaAdapters()));
