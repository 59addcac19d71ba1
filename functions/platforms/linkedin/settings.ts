/** Settings the LinkedIn connector and poller read. */
/** The app's Client Secret (developer portal, Auth tab): LinkedIn signs its webhooks and its challenge with it. */
export const LINKEDIN_CLIENT_SECRET = 'FOGHORN_LINKEDIN_CLIENT_SECRET';
/**
 * A member access token (three-legged OAuth) of a Page ADMINISTRATOR, with rw_organization_admin,
 * r_organization_social and w_organization_social. LinkedIn issues it for 60 days.
 */
export const LINKEDIN_ACCESS_TOKEN = 'FOGHORN_LINKEDIN_ACCESS_TOKEN';
/** The Page's numeric organization id: comments go out as `urn:li:organization:<id>`, its own are `author.isSelf`. */
export const LINKEDIN_ORGANIZATION_ID = 'FOGHORN_LINKEDIN_ORGANIZATION_ID';
/** API base; tests point it at a loopback server. */
export const LINKEDIN_API_URL = 'FOGHORN_LINKEDIN_API_URL';
export const LINKEDIN_DEFAULT_API_URL = 'https://api.linkedin.com';
/** The `LinkedIn-Version` header (YYYYMM): LinkedIn sunsets each version about a year after release. */
export const LINKEDIN_VERSION = 'FOGHORN_LINKEDIN_VERSION';
export const LINKEDIN_DEFAULT_VERSION = '202510';

export const LINKEDIN = 'linkedin';
