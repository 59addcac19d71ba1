/** Another live process holds the data folder: two writers on one folder would each miss the other's staged work. */
export class EmbeddedStoreLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(
      `the embedded store in ${folder} is in use by process ${pid} (lock file ${lockFile}); stop that process, or delete the lock file if it is not Foghorn`,
    );
    this.name = 'EmbeddedStoreLockedError';
  }
}
