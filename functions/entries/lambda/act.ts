import { actStage } from '../../app/act-handler.js';
import { adapters, lambdaHandler } from './powertools.js';

export const handler = lambdaHandler(actStage(adapters));
