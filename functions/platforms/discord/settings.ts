/** Settings the Discord connector reads. */
/** The application's public key (64 hex characters) from the Developer Portal: verifies interactions. */
export const DISCORD_PUBLIC_KEY = 'FOGHORN_DISCORD_PUBLIC_KEY';
export const DISCORD_BOT_TOKEN = 'FOGHORN_DISCORD_BOT_TOKEN';
/** The application id (also the bot user's id): messages from it are `author.isSelf`. */
export const DISCORD_APPLICATION_ID = 'FOGHORN_DISCORD_APPLICATION_ID';
/** Where a `post` goes when the action names no `channel`. */
export const DISCORD_DEFAULT_CHANNEL = 'FOGHORN_DISCORD_DEFAULT_CHANNEL';
export const DISCORD_API_URL = 'FOGHORN_DISCORD_API_URL';
export const DISCORD_DEFAULT_API_URL = 'https://discord.com/api/v10';

export const DISCORD = 'discord';
