import { describe } from 'vitest';
import { DynamoRuleState } from '../../../functions/storage/dynamo/rule-state.js';
import { EmbeddedRuleState } from '../../../functions/storage/embedded/rule-state.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { ruleStateContract } from './rule-state-contract.js';
import { useEmbeddedDatabase } from './use-embedded-database.js';

describe('RuleState contract: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  ruleStateContract(() => new EmbeddedRuleState({ database: db.current }));
});

describe('RuleState contract: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  ruleStateContract(() => new DynamoRuleState({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});
