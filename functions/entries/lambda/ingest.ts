import { ingestStage } from '../../app/ingest-handler.js';
import { lambdaAdapters, lambdaHandler } from './powertools.js';

export const handler = lambdaHandler(ingestStage(lambdaAdapters()));
