import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Fetches `pkg` (an exact `name@version`) from the npm registry with `npm pack` and unpacks it into a folder of its own
 * under `into`; returns the unpacked package's root. For the generators and measurements that read a package which is
 * not a dependency of Foghorn.
 */
export function unpackNpmPackage(pkg: string, into: string): string {
  const file = execFileSync('npm', ['pack', pkg, '--silent', '--pack-destination', into], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const dir = join(into, pkg.replace(/[@/]/g, '_'));
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['xzf', join(into, file), '-C', dir]);
  return join(dir, 'package');
}
