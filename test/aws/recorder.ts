/**
 * A stand-in for an AWS SDK client: records every command it is sent and answers from a script.
 * Used only where no local server plays the service; the tests then check the exact request.
 */
export class RecordingClient<C extends { input: unknown }, O> {
  readonly commands: C[] = [];
  readonly #answer: (command: C, call: number) => O | Promise<O>;

  constructor(answer: (command: C, call: number) => O | Promise<O>) {
    this.#answer = answer;
  }

  async send(command: C): Promise<O> {
    this.commands.push(command);
    return this.#answer(command, this.commands.length - 1);
  }

  get inputs(): Array<C['input']> {
    return this.commands.map((command) => command.input);
  }
}
