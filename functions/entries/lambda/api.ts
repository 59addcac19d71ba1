import { apiStage } from '../../app/api-handler.js';
import { lambdaAdapters, lambdaHandler, yamlTeamConfig } from './powertools.js';

export const handler = lambdaHandler(apiStage(lambdaAdapters({ yamlTeamConfig })));
