import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from './item-size.js';

/**
 * DynamoDB for the capacity model: dynalite's own engine (its expression parsers, conditions, updates, queries
 * and index maintenance over an in-memory store) called in this thread, without its HTTP server or the SDK's
 * serialisation, so a storm of hundreds of thousands of calls runs in seconds. It answers the commands the
 * stores send as the SDK client would (same outputs, errors with DynamoDB's names and fields) and reports each
 * call's touches: every item written with its image before and after, every read with the items it examined.
 * TransactWriteItems, which dynalite lacks, is checked whole and then applied item by item; calls run one at a
 * time (the model is single-threaded), so no other call sees a half-applied transaction.
 */

export interface IndexShape {
  name: string;
  partitionKey: string;
  sortKey?: string;
  /** ALL, KEYS_ONLY, or INCLUDE with its non-key attributes. */
  projection: { type: 'ALL' | 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] };
}

export interface TableShape {
  partitionKey: string;
  sortKey?: string;
  indexes: readonly IndexShape[];
}

export interface WriteTouch {
  before: Item | undefined;
  after: Item | undefined;
  /** The key the write named, for a write that left no image (a failed condition on no item). */
  key: Item;
  transactional: boolean;
  /** A condition refused it: DynamoDB still charges the write, by the existing item's size. */
  refused: boolean;
}

export interface ReadTouch {
  /** Undefined for the table itself. */
  index: string | undefined;
  partition: string;
  /** Every item the read examined, before any filter. */
  items: Item[];
  consistent: boolean;
  transactional: boolean;
}

export interface DynamoCall {
  command: string;
  writes: WriteTouch[];
  reads: ReadTouch[];
}

type Callback = (error: unknown, value?: unknown) => void;
type Action = (store: unknown, data: Record<string, unknown>, done: Callback) => void;
interface Validation {
  types: unknown;
  custom?: unknown;
}

const require = createRequire(import.meta.url);
const dynaliteDir = dirname(require.resolve('dynalite'));
const db = require(join(dynaliteDir, 'db')) as {
  create(options: Record<string, unknown>): DynaliteStore;
  createKey(item: Item, table: unknown): string;
  checkConditional(data: Record<string, unknown>, existing: Item | undefined): unknown;
};
const validations = require(join(dynaliteDir, 'validations')) as {
  checkTypes(data: Record<string, unknown>, types: unknown): Record<string, unknown>;
  checkValidations(data: Record<string, unknown>, types: unknown, custom: unknown, store: unknown): void;
};
const ACTIONS = ['getItem', 'putItem', 'updateItem', 'deleteItem', 'query', 'createTable', 'describeTable'] as const;
type ActionName = (typeof ACTIONS)[number];
const actions = Object.fromEntries(
  ACTIONS.map((name) => [
    name,
    {
      run: require(join(dynaliteDir, 'actions', name)) as Action,
      validation: require(join(dynaliteDir, 'validations', name)) as Validation,
    },
  ]),
) as Record<ActionName, { run: Action; validation: Validation }>;

interface DynaliteStore {
  getTable(name: string, done: Callback): void;
  getItemDb(name: string): { get(key: string, done: Callback): void };
}

/** The commands the stores send, by the SDK command class's name. */
const SINGLE: Record<string, ActionName> = {
  GetItemCommand: 'getItem',
  PutItemCommand: 'putItem',
  UpdateItemCommand: 'updateItem',
  DeleteItemCommand: 'deleteItem',
  QueryCommand: 'query',
  CreateTableCommand: 'createTable',
  DescribeTableCommand: 'describeTable',
};
const TRANSACT_PARTS = { Put: 'putItem', Update: 'updateItem', Delete: 'deleteItem', ConditionCheck: 'deleteItem' } as const;

export class UnsupportedDynamoCommandError extends Error {
  constructor(readonly command: string) {
    super(`the capacity model's DynamoDB does not implement ${command}`);
    this.name = 'UnsupportedDynamoCommandError';
  }
}

export class InProcessDynamo {
  readonly #store: DynaliteStore;
  readonly #onCall: (call: DynamoCall) => void;
  readonly #shapes = new Map<string, TableShape>();
  #previous: Promise<unknown> = Promise.resolve();

  constructor(onCall: (call: DynamoCall) => void = () => {}) {
    this.#store = db.create({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    this.#onCall = onCall;
  }

  /** The table's keys and indexes as the last CreateTable declared them. */
  shapeOf(tableName: string): TableShape {
    const shape = this.#shapes.get(tableName);
    if (!shape) throw new Error(`the capacity model's DynamoDB has no table ${tableName}`);
    return shape;
  }

  /** What DynamoDBClient.send answers, for the commands the stores use. */
  send(command: { constructor: { name: string }; input: unknown }): Promise<unknown> {
    // One call at a time, as one serialised table: a transaction's check and its writes see no other call between them.
    const answer = this.#previous.then(() => this.#send(command));
    this.#previous = answer.catch(() => undefined);
    return answer;
  }

  async #send(command: { constructor: { name: string }; input: unknown }): Promise<unknown> {
    const name = command.constructor.name;
    const input = toWire(command.input) as Record<string, unknown>;
    try {
      if (name === 'TransactWriteItemsCommand') return fromWire(await this.#transactWrite(input));
      const action = SINGLE[name];
      if (!action) throw new UnsupportedDynamoCommandError(name);
      return fromWire(await this.#single(name, action, input));
    } catch (error) {
      throw fromWire(asSdkError(error));
    }
  }

  async #single(command: string, action: ActionName, input: Record<string, unknown>): Promise<unknown> {
    if (action === 'createTable') this.#shapes.set(input.TableName as string, shapeFrom(input));
    if (action === 'createTable' || action === 'describeTable') return this.#run(action, input);
    const tableName = input.TableName as string;
    if (action === 'getItem') {
      const answer = (await this.#run(action, input)) as { Item?: Item };
      const item = await this.#get(tableName, input.Key as Item);
      this.#onCall({
        command,
        writes: [],
        reads: [
          {
            index: undefined,
            partition: partitionOf(input.Key as Item, this.shapeOf(tableName).partitionKey),
            items: item ? [item] : [],
            consistent: input.ConsistentRead === true,
            transactional: false,
          },
        ],
      });
      return answer;
    }
    if (action === 'query') return this.#query(command, input);
    const key = keyOf(action === 'putItem' ? (input.Item as Item) : (input.Key as Item), this.shapeOf(tableName));
    const before = await this.#get(tableName, key);
    let refused = false;
    try {
      return await this.#run(action, input);
    } catch (error) {
      refused = isConditionalFailure(error);
      if (refused && input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before) (error as DynaliteError).body.Item = before;
      throw error;
    } finally {
      // A put leaves exactly its item; an update or a delete is read back.
      const after = refused ? before : action === 'putItem' ? (input.Item as Item) : await this.#get(tableName, key);
      this.#onCall({ command, writes: [{ before, after, key, transactional: false, refused }], reads: [] });
    }
  }

  async #query(command: string, input: Record<string, unknown>): Promise<unknown> {
    const answer = (await this.#run('query', input)) as { Items?: Item[] };
    const examined =
      input.FilterExpression || input.ProjectionExpression || input.Select ? await this.#examined(input) : (answer.Items ?? []);
    const shape = this.shapeOf(input.TableName as string);
    const index = input.IndexName as string | undefined;
    const partitionKey = index ? (shape.indexes.find((each) => each.name === index)?.partitionKey ?? '') : shape.partitionKey;
    const partition = examined[0] ? partitionOf(examined[0], partitionKey) : partitionOfCondition(input, partitionKey);
    this.#onCall({
      command,
      writes: [],
      reads: [{ index, partition, items: examined, consistent: input.ConsistentRead === true, transactional: false }],
    });
    return answer;
  }

  /** The items a query examined: the same query with no filter and no projection (Limit counts before the filter). */
  async #examined(input: Record<string, unknown>): Promise<Item[]> {
    const { FilterExpression: _filter, ProjectionExpression: _projection, Select: _select, ...examine } = input;
    const names = { ...((input.ExpressionAttributeNames as Record<string, string>) ?? {}) };
    const values = { ...((input.ExpressionAttributeValues as Record<string, AttributeValue>) ?? {}) };
    for (const name of Object.keys(names)) if (!`${examine.KeyConditionExpression}`.includes(name)) delete names[name];
    for (const value of Object.keys(values)) if (!`${examine.KeyConditionExpression}`.includes(value)) delete values[value];
    const examined = (await this.#run('query', {
      ...examine,
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : { ExpressionAttributeNames: undefined }),
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : { ExpressionAttributeValues: undefined }),
    })) as { Items?: Item[] };
    return examined.Items ?? [];
  }

  async #transactWrite(input: Record<string, unknown>): Promise<unknown> {
    const parts = (input.TransactItems as Array<Record<string, Record<string, unknown>>>).map((part) => {
      const kind = Object.keys(part)[0] as keyof typeof TRANSACT_PARTS;
      const data = part[kind]!;
      const tableName = data.TableName as string;
      return { kind, data, tableName, key: keyOf(kind === 'Put' ? (data.Item as Item) : (data.Key as Item), this.shapeOf(tableName)) };
    });
    const before = await Promise.all(parts.map((part) => this.#get(part.tableName, part.key)));
    const checked = await Promise.all(parts.map((part, index) => this.#condition(part.kind, part.data, before[index])));
    const writes = (afters: Array<Item | undefined>, refused: boolean) =>
      parts.map((part, index) => ({
        before: before[index],
        after: afters[index],
        key: part.key,
        transactional: true,
        refused,
        check: part.kind === 'ConditionCheck',
      }));
    if (checked.some((failure) => failure)) {
      this.#record(writes(before, true));
      throw {
        statusCode: 400,
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${checked.map((failure) => (failure ? 'ConditionalCheckFailed' : 'None')).join(', ')}]`,
          CancellationReasons: checked.map((failure, index) => {
            if (!failure) return { Code: 'None' };
            const item = before[index];
            return {
              Code: 'ConditionalCheckFailed',
              Message: 'The conditional request failed',
              ...(parts[index]!.data.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && item ? { Item: item } : {}),
            };
          }),
        },
      } satisfies DynaliteError;
    }
    // Every condition held and no other call runs meanwhile: each part is applied as sent (its condition holds again).
    for (const part of parts) if (part.kind !== 'ConditionCheck') await this.#run(TRANSACT_PARTS[part.kind], part.data);
    const afters = await Promise.all(parts.map((part) => this.#get(part.tableName, part.key)));
    this.#record(writes(afters, false));
    return {};
  }

  #record(writes: Array<WriteTouch & { check: boolean }>): void {
    // A condition check is charged as a read of its item (transactional), not as a write.
    this.#onCall({
      command: 'TransactWriteItemsCommand',
      writes: writes.filter((write) => !write.check),
      reads: writes
        .filter((write) => write.check)
        .map((write) => ({
          index: undefined,
          partition: partitionOf(write.key, Object.keys(write.key)[0]!),
          items: write.before ? [write.before] : [],
          consistent: true,
          transactional: true,
        })),
    });
  }

  async #condition(kind: keyof typeof TRANSACT_PARTS, data: Record<string, unknown>, existing: Item | undefined): Promise<unknown> {
    if (!data.ConditionExpression) return undefined;
    const validation = actions[TRANSACT_PARTS[kind]].validation;
    const checked = validations.checkTypes({ ...data }, validation.types);
    validations.checkValidations(checked, validation.types, validation.custom, this.#store);
    return db.checkConditional(checked, existing);
  }

  async #run(action: ActionName, input: Record<string, unknown>): Promise<unknown> {
    const { run, validation } = actions[action];
    const data = validations.checkTypes({ ...input }, validation.types);
    validations.checkValidations(data, validation.types, validation.custom, this.#store);
    return new Promise((resolve, reject) => run(this.#store, data, (error, value) => (error ? reject(error) : resolve(value ?? {}))));
  }

  async #get(tableName: string, key: Item): Promise<Item | undefined> {
    const table = await new Promise((resolve, reject) =>
      this.#store.getTable(tableName, (error, value) => (error ? reject(error) : resolve(value))),
    );
    const itemDb = this.#store.getItemDb(tableName);
    return new Promise((resolve, reject) =>
      itemDb.get(db.createKey(key, table), (error, item) => {
        if (error && (error as { name?: string }).name !== 'NotFoundError' && (error as { code?: string }).code !== 'LEVEL_NOT_FOUND')
          reject(error);
        else resolve(error ? undefined : (item as Item | undefined));
      }),
    );
  }
}

interface DynaliteError {
  statusCode: number;
  body: { __type: string; message?: string; Message?: string; [field: string]: unknown };
}

/** A dynalite refusal as the SDK raises it: an Error named after DynamoDB's exception, its fields on it. */
function asSdkError(error: unknown): unknown {
  const refusal = error as Partial<DynaliteError> | undefined;
  if (!refusal?.body?.__type) return error;
  const { __type, message, Message, ...fields } = refusal.body;
  const name = __type.split('#').pop() ?? __type;
  const sdkError = Object.assign(new Error(message ?? Message ?? name), fields, {
    $fault: 'client',
    $metadata: { httpStatusCode: refusal.statusCode },
  });
  sdkError.name = name;
  return sdkError;
}

/**
 * The request as it goes on the wire: binary values in base64, as dynalite reads them (the SDK client would
 * serialise them so); every other value copied as it is, so the caller's input is never changed.
 */
function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, toWire(field)]));
  return value;
}

/** An answer as the SDK client parses it: binary values (`B`, `BS`) as bytes again. */
function fromWire<T>(value: T): T {
  if (Array.isArray(value)) return value.map(fromWire) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const entries = Object.entries(value).map(([key, field]) => {
      if (key === 'B' && typeof field === 'string') return [key, new Uint8Array(Buffer.from(field, 'base64'))];
      if (key === 'BS' && Array.isArray(field) && field.every((each) => typeof each === 'string'))
        return [key, field.map((each: string) => new Uint8Array(Buffer.from(each, 'base64')))];
      return [key, fromWire(field)];
    });
    if (value instanceof Error) return Object.assign(value, Object.fromEntries(entries));
    return Object.fromEntries(entries) as T;
  }
  return value;
}

function isConditionalFailure(error: unknown): boolean {
  return /ConditionalCheckFailedException$/.test((error as Partial<DynaliteError>)?.body?.__type ?? '');
}

function keyOf(item: Item, shape: TableShape): Item {
  const key: Item = { [shape.partitionKey]: item[shape.partitionKey]! };
  if (shape.sortKey) key[shape.sortKey] = item[shape.sortKey]!;
  return key;
}

function partitionOf(item: Item, attribute: string): string {
  const value = item[attribute];
  return value?.S ?? value?.N ?? (value?.B ? Buffer.from(value.B).toString('hex') : '');
}

/** The partition a query named: the value its key condition compares the partition key to. */
function partitionOfCondition(input: Record<string, unknown>, attribute: string): string {
  const names = (input.ExpressionAttributeNames as Record<string, string>) ?? {};
  const values = (input.ExpressionAttributeValues as Record<string, AttributeValue>) ?? {};
  const alias = Object.entries(names).find(([, name]) => name === attribute)?.[0] ?? attribute;
  const match = new RegExp(`${alias.replace(/[#$]/g, '\\$&')}\\s*=\\s*(:[A-Za-z0-9_]+)`).exec(String(input.KeyConditionExpression ?? ''));
  const value = match ? values[match[1]!] : undefined;
  return value?.S ?? value?.N ?? '';
}

function shapeFrom(input: Record<string, unknown>): TableShape {
  const keyNames = (schema: unknown) => {
    const entries = schema as Array<{ AttributeName: string; KeyType: string }>;
    return {
      hash: entries.find((entry) => entry.KeyType === 'HASH')!.AttributeName,
      range: entries.find((entry) => entry.KeyType === 'RANGE')?.AttributeName,
    };
  };
  const table = keyNames(input.KeySchema);
  const indexes = ((input.GlobalSecondaryIndexes as Array<Record<string, unknown>>) ?? []).map((index): IndexShape => {
    const keys = keyNames(index.KeySchema);
    const projection = index.Projection as { ProjectionType?: string; NonKeyAttributes?: string[] } | undefined;
    return {
      name: index.IndexName as string,
      partitionKey: keys.hash,
      ...(keys.range ? { sortKey: keys.range } : {}),
      projection:
        projection?.ProjectionType === 'INCLUDE'
          ? { type: 'INCLUDE', attributes: projection.NonKeyAttributes ?? [] }
          : { type: projection?.ProjectionType === 'KEYS_ONLY' ? 'KEYS_ONLY' : 'ALL' },
    };
  });
  return { partitionKey: table.hash, ...(table.range ? { sortKey: table.range } : {}), indexes };
}
