import { describe } from 'vitest';
import { DynamoTicketStore } from '../../../functions/storage/dynamo/ticket-store.js';
import { EmbeddedTicketStore } from '../../../functions/storage/embedded/ticket-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { ticketStoreContract } from './ticket-store-contract.js';
import { useEmbeddedDatabase } from './use-embedded-database.js';

describe('TicketStore contract: embedded (lmdb)', () => {
  const db = useEmbeddedDatabase();
  ticketStoreContract(() => new EmbeddedTicketStore(db.current));
});

describe('TicketStore contract: DynamoDB (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  ticketStoreContract(() => new DynamoTicketStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});
