/**
 * Where settings and secrets come from: the environment (and `.env`) locally, one Secrets Manager
 * secret on AWS. Names are the documented `FOGHORN_*` variables.
 */
export interface Settings {
  get(name: string): string | undefined;
}

export function settingsFrom(values: Readonly<Record<string, string | undefined>>): Settings {
  return {
    get: (name) => {
      const value = values[name];
      return value === '' ? undefined : value;
    },
  };
}

/** Names of the given settings that are not set. */
export function missingSettings(settings: Settings, names: readonly string[]): string[] {
  return names.filter((name) => settings.get(name) === undefined);
}

const SECRET_NAME = /(SECRET|TOKEN|KEY|PASSWORD|CONFIRMATION)/;

/** The configured values of the secret-bearing settings among `names`, for redacting recorded requests. */
export function secretValues(settings: Settings, names: readonly string[]): string[] {
  return [...new Set(names)]
    .filter((name) => SECRET_NAME.test(name))
    .map((name) => settings.get(name))
    .filter((value): value is string => typeof value === 'string' && value.length >= 4);
}
