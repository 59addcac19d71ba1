import { actStage } from '../../app/act-handler.js';
import { lambdaAdapters, lambdaHandler, yamlTeamConfig } from './powertools.js';

export const handler = lambdaHandler(actStage(lambdaAdapters({ yamlTeamConfig })));
