import type { Settings } from '../core/settings.js';
import type { ListenSourceConfig } from './config.js';

/** `FOGHORN_<TYPE>_BASE_URL` for a source type (`x-search` → FOGHORN_X_SEARCH_BASE_URL). */
export function baseUrlSetting(type: string): string {
  return `FOGHORN_${type.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_BASE_URL`;
}

/**
 * Where a source's API is: the source's own `baseUrl:`, else FOGHORN_<TYPE>_BASE_URL, else the platform's setting
 * (the one its connector reads, so replies and reads go to the same place), else the platform's documented address.
 */
export function sourceBaseUrl(
  config: ListenSourceConfig,
  settings: Settings,
  platformSetting: string | undefined,
  fallback: string,
): string {
  const url =
    config.baseUrl ??
    settings.get(baseUrlSetting(config.type)) ??
    (platformSetting ? settings.get(platformSetting) : undefined) ??
    fallback;
  return url.replace(/\/+$/, '');
}
