/** The API token tests start a runtime with (FOGHORN_API_TOKEN), and the header that sends it: an admin's credential. */
export const TEST_API_TOKEN = 'test-api-token-0123456789abcdef';
export const TEST_API_AUTHORIZATION = { authorization: `Bearer ${TEST_API_TOKEN}` } as const;
