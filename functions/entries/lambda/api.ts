import { apiStage } from '../../app/api-handler.js';
import { adapters, lambdaHandler } from './powertools.js';

export const handler = lambdaHandler(apiStage(adapters));
