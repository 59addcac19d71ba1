import { evaluateStage } from '../../app/evaluate-handler.js';
import { adapters, lambdaHandler } from './powertools.js';

export const handler = lambdaHandler(evaluateStage(adapters));
