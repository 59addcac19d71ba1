/** Query parameters that only say where a reader came from: the same article with them is the same article. */
const TRACKING = /^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ref_src)$/i;

/**
 * The one form of a link Foghorn deduplicates on: lower-case scheme and host, no default port, no fragment, no
 * tracking parameters, the rest of the query sorted. The same article reached through two feeds, or twice through
 * one, then has one key and becomes one event. Undefined for anything that is not an http(s) URL.
 */
export function canonicalUrl(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  const kept = [...url.searchParams.entries()].filter(([name]) => !TRACKING.test(name));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  // URL already lower-cases the scheme and host and drops a default port.
  const text = url.toString();
  return url.pathname === '/' && url.search === '' ? text.replace(/\/$/, '') : text;
}
