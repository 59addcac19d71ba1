/**
 * A password from stdin. At a terminal it is typed without echo, twice to catch a typo; from a pipe or a file
 * it is the first line, so scripts and tests can hand it over (`printf %s "$PASSWORD" | foghorn users add …`).
 */
export async function readPassword(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown },
  prompts: NodeJS.WritableStream,
): Promise<string> {
  if (stdin.isTTY && typeof stdin.setRawMode === 'function') {
    const first = await typed(stdin, prompts, 'password: ');
    const again = await typed(stdin, prompts, 'again: ');
    if (first !== again) throw new Error('the two passwords differ; nothing was printed');
    return first;
  }
  let text = '';
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text.split(/\r?\n/)[0] ?? '';
}

function typed(
  stdin: NodeJS.ReadableStream & { setRawMode?: (raw: boolean) => unknown },
  prompts: NodeJS.WritableStream,
  prompt: string,
): Promise<string> {
  prompts.write(prompt);
  stdin.setRawMode?.(true);
  stdin.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      prompts.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const character of chunk.toString()) {
        if (character === '\r' || character === '\n' || character === '\u0004') return finish();
        if (character === '\u0003') return finish(new Error('cancelled'));
        if (character === '\u007f' || character === '\b') value = [...value].slice(0, -1).join('');
        else value += character;
      }
    };
    stdin.on('data', onData);
  });
}
