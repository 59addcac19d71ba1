/**
 * What DynamoDB does and dynalite (4.x) does not, for the two calls the stores use that it lacks:
 *
 * - TransactWriteItems (an action's completion with its effects: action-store.ts). Items are checked and
 *   written under dynalite's own item locks, all of them taken at once, so no other write sees or makes a
 *   half-done transaction (no read is isolated from one: dynalite's reads take no lock); a write that fails part-way (an update DynamoDB would refuse) puts back the items
 *   already written. A condition that fails cancels the whole transaction with DynamoDB's reasons, item by
 *   item. A retried request with the same ClientRequestToken is answered without writing again.
 * - ReturnValuesOnConditionCheckFailure: ALL_OLD on PutItem, UpdateItem and DeleteItem (a conflict that
 *   answers with the item it lost to: decision-store.ts, action-store.ts), under the item's lock.
 *
 * Every other request goes to dynalite as it came. Plain CommonJS in a string: the same code runs in
 * dynalite's worker thread (which loads no TypeScript) and in this thread (embedded.ts).
 */
export const DYNALITE_WITH_EXTENSIONS_SOURCE = String.raw`
function startDynalite(dynalitePath, options) {
  const path = require('node:path');
  const { PassThrough } = require('node:stream');
  const { randomBytes } = require('node:crypto');
  const dir = path.dirname(dynalitePath);
  const fromDynalite = (name) => require(require.resolve(name, { paths: [dir] }));
  const db = require(path.join(dir, 'db'));
  const validations = require(path.join(dir, 'validations'));
  const crc32 = fromDynalite('buffer-crc32');
  const dynalite = require(dynalitePath);

  // dynalite keeps its store to itself: take it as dynalite makes it.
  let store;
  const create = db.create;
  db.create = function (...args) {
    store = create.apply(this, args);
    return store;
  };
  let server;
  try {
    server = dynalite(options);
  } finally {
    db.create = create;
  }

  const operations = {
    Put: { name: 'putItem', keyOf: (data) => data.Item },
    Update: { name: 'updateItem', keyOf: (data) => data.Key },
    Delete: { name: 'deleteItem', keyOf: (data) => data.Key },
    // A condition check has the shape of a delete: a key and a condition.
    ConditionCheck: { name: 'deleteItem', keyOf: (data) => data.Key, checkOnly: true },
  };
  for (const operation of Object.values(operations)) {
    operation.action = require(path.join(dir, 'actions', operation.name));
    operation.validation = require(path.join(dir, 'validations', operation.name));
  }
  const singleWrites = { PutItem: operations.Put, UpdateItem: operations.Update, DeleteItem: operations.Delete };

  const call = (fn) => new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));
  const getItem = (itemDb, key) =>
    call((done) => itemDb.get(key, (error, item) => (error && error.name !== 'NotFoundError' ? done(error) : done(null, error ? undefined : item))));

  function validated(operation, input) {
    const data = validations.checkTypes(Object.assign({}, input), operation.validation.types);
    validations.checkValidations(data, operation.validation.types, operation.validation.custom, store);
    return data;
  }

  /** A view of the store in which the keys this request holds are taken without waiting (the actions lock them again). */
  function holding(held) {
    const view = Object.create(store);
    view.getItemDb = (name) => {
      const real = store.getItemDb(name);
      const itemDb = Object.create(real);
      itemDb.lock = (key, exec) => (held.has(name + '\u0000' + key) ? exec((done) => done) : real.lock(key, exec));
      return itemDb;
    };
    return view;
  }

  /** Takes dynalite's locks on every key (one table after the other, each table's keys at once). */
  async function lockAll(entries) {
    const byTable = new Map();
    for (const entry of entries) byTable.set(entry.table, [...(byTable.get(entry.table) || []), entry.key]);
    const releases = [];
    for (const table of [...byTable.keys()].sort()) {
      const keys = byTable.get(table);
      const itemDb = store.getItemDb(table);
      releases.push(await new Promise((resolve) => itemDb.lock(keys.length === 1 ? keys[0] : keys, (release) => resolve(release(() => {})))));
    }
    return () => releases.forEach((release) => release());
  }

  async function prepare(operation, input) {
    const data = validated(operation, input);
    const table = await call((done) => store.getTable(data.TableName, done));
    const invalid = operation === operations.Put ? db.validateItem(data.Item, table) : db.validateKey(data.Key, table);
    if (invalid) throw invalid;
    return { operation, data, input, table: data.TableName, tableInfo: table, key: db.createKey(operation.keyOf(data), table) };
  }

  const recent = new Map();

  async function transactWriteItems(body) {
    const items = body.TransactItems;
    if (!Array.isArray(items) || items.length < 1 || items.length > 100)
      throw db.validationError('1 validation error detected: Value at \'transactItems\' failed to satisfy constraint: Member must have length between 1 and 100');
    const token = body.ClientRequestToken;
    if (token && recent.has(token)) return recent.get(token);
    const prepared = [];
    for (const item of items) {
      const kinds = Object.keys(item || {}).filter((kind) => operations[kind] && item[kind]);
      if (kinds.length !== 1) throw db.validationError('TransactItems can only contain one of Check, Put, Update or Delete');
      prepared.push(await prepare(operations[kinds[0]], item[kinds[0]]));
    }
    const names = prepared.map((entry) => entry.table + '\u0000' + entry.key);
    if (new Set(names).size !== names.length) throw db.validationError('Transaction request cannot include multiple operations on one item');

    const release = await lockAll(prepared);
    try {
      const before = [];
      for (const entry of prepared) before.push(await getItem(store.getItemDb(entry.table), entry.key));
      const failures = prepared.map((entry, index) => db.checkConditional(entry.data, before[index]));
      if (failures.some(Boolean)) {
        const reasons = failures.map((failure, index) => {
          if (!failure) return { Code: 'None' };
          const reason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
          if (prepared[index].input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before[index]) reason.Item = before[index];
          return reason;
        });
        throw cancelled(reasons);
      }
      const view = holding(new Set(names));
      const written = [];
      try {
        for (const entry of prepared) {
          if (entry.operation.checkOnly) continue;
          await call((done) => entry.operation.action(view, entry.data, done));
          written.push(entry);
        }
      } catch (error) {
        for (const entry of written.reverse()) await restore(entry, before[prepared.indexOf(entry)]);
        throw error;
      }
      const answer = {};
      if (token) {
        recent.set(token, answer);
        if (recent.size > 1000) recent.delete(recent.keys().next().value);
      }
      return answer;
    } finally {
      release();
    }
  }

  /** Puts an item back as it was before the transaction wrote it (indexes included). */
  async function restore(entry, previous) {
    const itemDb = store.getItemDb(entry.table);
    const current = await getItem(itemDb, entry.key);
    await call((done) => db.updateIndexes(store, entry.tableInfo, current, previous, done));
    await call((done) => (previous ? itemDb.put(entry.key, previous, done) : itemDb.del(entry.key, done)));
  }

  function cancelled(reasons) {
    const error = new Error('Transaction cancelled');
    error.statusCode = 400;
    error.body = {
      __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [' + reasons.map((r) => r.Code).join(', ') + ']',
      CancellationReasons: reasons,
    };
    return error;
  }

  /** A single write that asked for the item it lost to: run under its lock, answered with that item on a refusal. */
  async function singleWrite(operation, body) {
    const entry = await prepare(operation, body);
    const release = await lockAll([entry]);
    try {
      const view = holding(new Set([entry.table + '\u0000' + entry.key]));
      try {
        return await call((done) => operation.action(view, entry.data, done));
      } catch (error) {
        if (error && error.body && /ConditionalCheckFailedException$/.test(error.body.__type)) {
          const item = await getItem(store.getItemDb(entry.table), entry.key);
          if (item) error.body = Object.assign({}, error.body, { Item: item });
        }
        throw error;
      }
    } finally {
      release();
    }
  }

  function send(res, statusCode, data) {
    const body = JSON.stringify(data);
    res.statusCode = statusCode;
    res.setHeader('x-amzn-RequestId', randomBytes(39).toString('base64').toUpperCase().replace(/\+|\//g, '0'));
    res.setHeader('x-amz-crc32', crc32.unsigned(body));
    res.setHeader('Content-Type', 'application/x-amz-json-1.0');
    res.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'));
    res.end(body);
  }

  function answer(res, work) {
    work.then(
      (data) => send(res, 200, data || {}),
      (error) => {
        if (error && error.statusCode) return send(res, error.statusCode, error.body);
        send(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String((error && error.message) || error) });
      },
    );
  }

  const [serve] = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    const operation = String(req.headers['x-amz-target'] || '').split('.')[1];
    const single = singleWrites[operation];
    if (req.method !== 'POST' || (operation !== 'TransactWriteItems' && !single)) return serve(req, res);
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (operation === 'TransactWriteItems') {
        let body;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return send(res, 400, { __type: 'com.amazon.coral.service#SerializationException' });
        }
        return answer(res, transactWriteItems(body));
      }
      if (raw.includes('"ReturnValuesOnConditionCheckFailure"')) {
        const body = JSON.parse(raw.toString('utf8'));
        if (body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD') return answer(res, singleWrite(single, body));
      }
      const replay = new PassThrough();
      Object.assign(replay, { headers: req.headers, method: req.method, url: req.url });
      serve(replay, res);
      replay.end(raw);
    });
  });
  return server;
}
`;

/** dynalite with the extensions above, started in this thread. */
export function dynaliteWithExtensions(
  require: NodeJS.Require,
  dynalitePath: string,
  options: Record<string, unknown>,
): import('node:http').Server {
  // The same source the worker thread runs, which loads no TypeScript.
  const start = new Function('require', `${DYNALITE_WITH_EXTENSIONS_SOURCE}\nreturn startDynalite;`)(require) as (
    path: string,
    options: Record<string, unknown>,
  ) => import('node:http').Server;
  return start(dynalitePath, options);
}
