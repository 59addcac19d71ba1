import { ingestStage } from '../../app/ingest-handler.js';
import { adapters, lambdaHandler } from './powertools.js';

export const handler = lambdaHandler(ingestStage(adapters));
