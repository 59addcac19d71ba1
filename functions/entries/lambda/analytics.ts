import { analyticsStreamStage } from '../../app/analytics-stream-handler.js';
import { lambdaAdapters, lambdaHandler } from './powertools.js';

// Reads the team config (the response target) from the JSON the stack bundles: no YAML parser in this bundle.
export const handler = lambdaHandler(analyticsStreamStage(lambdaAdapters()));
