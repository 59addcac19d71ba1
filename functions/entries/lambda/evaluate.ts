import { evaluateStage } from '../../app/evaluate-handler.js';
import { countingRecords, lambdaAdapters, lambdaHandler } from './powertools.js';

// Its team config is the one the compiled rule set carries: no YAML parser in this bundle.
export const handler = lambdaHandler(countingRecords('evaluate', evaluateStage(lambdaAdapters())));
