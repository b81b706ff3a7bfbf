// The commands the READMEs show a reader: every line of a ```sh block, and every inline code span that is
// a command (`npm …`, `npx …`, `charter-eval …`, with or without leading VAR=value assignments).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The READMEs a new user reads, relative to the repository root. */
export const readmes = [
  'README.md',
  'contracts/README.md',
  'evaluator/README.md',
  'indexer/README.md',
  'relayer/README.md',
  'notifier/README.md',
  'web/README.md',
  'stack/README.md',
  'examples/guarded-classifier/README.md',
] as const;

export interface ReadmeCommand {
  /** The README it is shown in. */
  readme: string;
  /** The command as shown, whitespace collapsed, without its trailing `# comment`. */
  command: string;
}

const inlineCommand = /^(?:[A-Za-z_][A-Za-z0-9_]*=\S+\s+)*(?:npm|npx|charter-eval)(?:\s|$)/;

/** A shell line without its trailing comment (a `#` after whitespace, outside quotes). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i);
    }
  }
  return line;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Every command a README shows, in the order shown, each once. */
export function readmeCommands(markdown: string, readme: string): ReadmeCommand[] {
  const commands: string[] = [];
  const fence = /^```(\S*)[^\n]*\n([\s\S]*?)^```/gm;
  let prose = markdown;
  for (const block of markdown.matchAll(fence)) {
    prose = prose.replace(block[0], '');
    if (block[1] !== 'sh' && block[1] !== 'bash') continue;
    let pending = '';
    for (const raw of block[2]!.split('\n')) {
      const line = withoutComment(raw);
      if (/\\\s*$/.test(line)) {
        pending += `${line.replace(/\\\s*$/, '')} `;
        continue;
      }
      const command = collapse(pending + line);
      pending = '';
      if (command) commands.push(command);
    }
  }
  for (const span of prose.matchAll(/`([^`]+)`/g)) {
    const command = collapse(span[1]!);
    if (inlineCommand.test(command)) commands.push(command);
  }
  return [...new Set(commands)].map((command) => ({ readme, command }));
}

/** Every command of every README. */
export function allReadmeCommands(root: string): ReadmeCommand[] {
  return readmes.flatMap((readme) =>
    readmeCommands(readFileSync(join(root, readme), 'utf8'), readme),
  );
}
