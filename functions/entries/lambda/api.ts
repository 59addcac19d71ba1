import { apiStage } from '../../app/api-handler.js';
import { withConsoleAccess } from './console-access.js';
import { lambdaAdapters, lambdaHandler, yamlTeamConfig } from './powertools.js';

export const handler = lambdaHandler(withConsoleAccess(apiStage(lambdaAdapters({ yamlTeamConfig }))));
