import { apiStage } from '../../app/api-handler.js';
import { consoleIdentityOf } from '../../app/assignments-of.js';
import { withConsoleAccess } from './console-access.js';
import { lambdaAdapters, lambdaHandler, yamlTeamConfig } from './powertools.js';

const adapters = lambdaAdapters({ yamlTeamConfig });

export const handler = lambdaHandler(withConsoleAccess(apiStage(adapters), { identity: consoleIdentityOf(adapters) }));
