/** Settings the VK connector reads. */
/** The "Secret key" set for the Callback API server: VK puts it in every notification's `secret` field. */
export const VK_SECRET = 'FOGHORN_VK_SECRET';
/** The string VK expects back from the `confirmation` notification (community settings, or groups.getCallbackConfirmationCode). */
export const VK_CONFIRMATION = 'FOGHORN_VK_CONFIRMATION';
/** A community access token with the messages and wall rights. */
export const VK_TOKEN = 'FOGHORN_VK_TOKEN';
/** The community's id (positive): its own messages and comments (from_id = -id) are `author.isSelf`; other groups' deliveries are refused. */
export const VK_GROUP_ID = 'FOGHORN_VK_GROUP_ID';
/** peer_id a `post` goes to when the action names no `channel`. */
export const VK_DEFAULT_PEER_ID = 'FOGHORN_VK_DEFAULT_PEER_ID';
export const VK_API_URL = 'FOGHORN_VK_API_URL';
export const VK_DEFAULT_API_URL = 'https://api.vk.com/method';
export const VK_API_VERSION = 'FOGHORN_VK_API_VERSION';
export const VK_DEFAULT_API_VERSION = '5.199';

export const VK = 'vk';
