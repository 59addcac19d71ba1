const TURKIC_CAPITAL_I = /[I\u0130]/g;

/** `text` in lower case as Turkish and Azerbaijani write it: I as ı and İ as i, everything else as toLowerCase does. */
export function turkicLowerCase(text: string): string {
  return text.replace(TURKIC_CAPITAL_I, (capital) => (capital === 'I' ? '\u0131' : 'i')).toLowerCase();
}
