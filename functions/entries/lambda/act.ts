import { actStage } from '../../app/act-handler.js';
import { countingRecords, lambdaAdapters, lambdaHandler, yamlTeamConfig } from './powertools.js';

export const handler = lambdaHandler(countingRecords('act', actStage(lambdaAdapters({ yamlTeamConfig }))));
