import { describe, expect, it } from 'vitest';
import { StoreSettingError, storeChoiceFrom } from '../../../functions/entries/local/runtime-settings.js';

describe('storeChoiceFrom: FOGHORN_STORE and FOGHORN_DYNAMODB_ENDPOINT', () => {
  it('keeps the data in the embedded store by default', () => {
    expect(storeChoiceFrom({})).toEqual({ engine: 'embedded' });
    expect(storeChoiceFrom({ FOGHORN_STORE: '' })).toEqual({ engine: 'embedded' });
    expect(storeChoiceFrom({ FOGHORN_STORE: 'embedded' })).toEqual({ engine: 'embedded' });
  });

  it('runs the DynamoDB stores over the embedded dynalite without an endpoint, over the endpoint with one', () => {
    expect(storeChoiceFrom({ FOGHORN_STORE: 'dynamodb' })).toEqual({ engine: 'dynamodb' });
    expect(storeChoiceFrom({ FOGHORN_STORE: 'dynamodb', FOGHORN_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toEqual({
      engine: 'dynamodb',
      endpoint: 'http://127.0.0.1:8000',
    });
    expect(
      storeChoiceFrom({ FOGHORN_STORE: 'dynamodb', FOGHORN_DYNAMODB_ENDPOINT: 'http://localhost:8000', AWS_REGION: 'eu-west-1' }),
    ).toEqual({ engine: 'dynamodb', endpoint: 'http://localhost:8000', region: 'eu-west-1' });
  });

  it('stops the start on any other store, naming the two it knows', () => {
    expect(() => storeChoiceFrom({ FOGHORN_STORE: 'sqlite' })).toThrow(StoreSettingError);
    expect(() => storeChoiceFrom({ FOGHORN_STORE: 'DynamoDB' })).toThrow(
      "FOGHORN_STORE must be 'embedded' (the default) or 'dynamodb', got 'DynamoDB'",
    );
  });

  it('refuses an endpoint it would ignore, and one that is not an http(s) URL', () => {
    expect(() => storeChoiceFrom({ FOGHORN_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toThrow(
      "FOGHORN_DYNAMODB_ENDPOINT is set (http://127.0.0.1:8000) but FOGHORN_STORE is 'embedded'",
    );
    expect(() => storeChoiceFrom({ FOGHORN_STORE: 'dynamodb', FOGHORN_DYNAMODB_ENDPOINT: '127.0.0.1:8000' })).toThrow(
      "FOGHORN_DYNAMODB_ENDPOINT must be an http(s) URL such as http://127.0.0.1:8000, got '127.0.0.1:8000'",
    );
  });
});
