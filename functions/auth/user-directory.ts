import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type ConsoleUser, parseConsoleSection } from './console-config.js';
import { SignInBusyError } from './errors.js';
import { hashPassword, verifyPassword } from './password.js';
import type { Role } from './roles.js';

/**
 * The console users of foghorn.config.yaml, read again when the file changes (a `stat` per look-up), so a
 * user pasted in, removed or given another role counts without a restart. A file that stops parsing keeps the
 * users read before it, and `onError` says why.
 * A password check takes about 128 MB for a third of a second: two run at a time and a few wait, so a flood of
 * sign-ins is answered SignInBusyError rather than exhausting the machine's memory.
 */
export class UserDirectory {
  private users: readonly ConsoleUser[] = [];
  private stamp: string | undefined;
  private checking = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly configPath: string | undefined,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    if (configPath) this.load(true);
  }

  /** Every configured user, as the file says now. */
  list(): readonly ConsoleUser[] {
    if (this.configPath) this.load(false);
    return this.users;
  }

  find(name: string): ConsoleUser | undefined {
    return this.list().find((user) => user.name === name);
  }

  /** The user when the name and password match; an unknown name costs the same scrypt as a wrong password, so timing tells neither apart. */
  async authenticate(name: string, password: string): Promise<{ name: string; role: Role } | undefined> {
    const user = this.find(name);
    const matches = await this.oneAtATime(async () => verifyPassword(password, user?.password ?? (await decoyHash())));
    return user && matches ? { name: user.name, role: user.role } : undefined;
  }

  private async oneAtATime<T>(check: () => Promise<T>): Promise<T> {
    if (this.checking >= CONCURRENT_CHECKS) {
      if (this.waiting.length >= WAITING_CHECKS) throw new SignInBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.checking++;
    try {
      return await check();
    } finally {
      this.checking--;
      this.waiting.shift()?.();
    }
  }

  private load(atStart: boolean): void {
    const path = this.configPath as string;
    let stamp: string;
    try {
      const stat = statSync(path);
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      stamp = 'missing';
    }
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    try {
      const value = stamp === 'missing' ? {} : (parseYaml(readFileSync(path, 'utf8')) as Record<string, unknown> | null);
      this.users = parseConsoleSection(value?.console, path);
    } catch (error) {
      if (atStart) throw error;
      this.onError(error as Error);
    }
  }
}

const CONCURRENT_CHECKS = 2;
const WAITING_CHECKS = 16;

let decoy: Promise<string> | undefined;
function decoyHash(): Promise<string> {
  decoy ??= hashPassword('foghorn-decoy-password');
  return decoy;
}
