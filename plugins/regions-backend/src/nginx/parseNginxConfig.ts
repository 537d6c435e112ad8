import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';

/** One directive of an nginx configuration, with its block if it has one. */
export interface NginxDirective {
  name: string;
  args: string[];
  block?: NginxDirective[];
  /** Where it was written, for error messages. */
  file: string;
  line: number;
}

/** Whitespace, `;`, `{` and `}` end an unquoted word. */
function endsWord(c: number) {
  return (
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    c === 59 ||
    c === 123 ||
    c === 125
  );
}

type Token =
  | { kind: 'word'; text: string; line: number }
  | { kind: ';' | '{' | '}'; line: number };

/**
 * Splits nginx configuration text into words and the punctuation that
 * ends directives and opens or closes blocks. Quotes group words and
 * backslashes escape, as nginx's own reader does; `#` starts a comment
 * only at the start of a word.
 */
function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;

  while (i < text.length) {
    const c = text[i];

    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === ';' || c === '{' || c === '}') {
      tokens.push({ kind: c, line });
      i++;
    } else if (c === '"' || c === "'") {
      const startLine = line;
      let word = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          word += text[i + 1] === c ? c : `\\${text[i + 1]}`;
          i += 2;
          continue;
        }
        if (text[i] === '\n') line++;
        word += text[i++];
      }
      if (i >= text.length) {
        throw new InputError(
          `${file}:${startLine}: unterminated quoted string ${c}${word}`,
        );
      }
      i++;
      tokens.push({ kind: 'word', text: word, line: startLine });
    } else {
      let word = '';
      while (i < text.length && !endsWord(text.charCodeAt(i))) {
        if (text[i] === '\\' && i + 1 < text.length) {
          word += text.slice(i, i + 2);
          i += 2;
          continue;
        }
        word += text[i++];
      }
      tokens.push({ kind: 'word', text: word, line });
    }
  }
  return tokens;
}

export interface ParseOptions {
  /**
   * The directory that relative `include` paths start from: nginx uses the
   * directory of the main configuration file.
   */
  includeRoot?: string;
  /** Reads a file; tests may serve files from memory. */
  readFile?: (file: string) => string;
  /** Lists the files an `include` with a wildcard names. */
  listFiles?: (pattern: string) => string[];
}

function globFiles(pattern: string): string[] {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return [pattern];
  }
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  const matcher = new RegExp(
    `^${base
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  // nginx includes the matches of a wildcard in sorted order.
  return fs
    .readdirSync(dir)
    .filter(name => matcher.test(name))
    .sort()
    .map(name => path.join(dir, name));
}

/**
 * Parses nginx configuration text into a tree of directives. `include`
 * directives are replaced by the directives of the files they name, in
 * whatever block they appear, as nginx does when it loads the file.
 */
export function parseNginxConfig(
  text: string,
  file: string,
  options: ParseOptions = {},
): NginxDirective[] {
  const includeRoot = options.includeRoot ?? path.dirname(file);
  const readFile =
    options.readFile ?? ((name: string) => fs.readFileSync(name, 'utf8'));
  const listFiles = options.listFiles ?? globFiles;
  const seen = new Set<string>();

  // Declared before parseFile uses it; the two call each other.
  function includeFiles(directive: NginxDirective): NginxDirective[] {
    const pattern = path.resolve(includeRoot, directive.args[0]);
    const files = listFiles(pattern);
    if (files.length === 0 && !pattern.includes('*')) {
      throw new InputError(
        `${directive.file}:${directive.line}: included file ${pattern} not found`,
      );
    }
    return files.flatMap(included => {
      if (seen.has(included)) {
        throw new InputError(
          `${directive.file}:${directive.line}: ${included} includes itself`,
        );
      }
      seen.add(included);
      let source: string;
      try {
        source = readFile(included);
      } catch (error) {
        throw new InputError(
          `${directive.file}:${directive.line}: cannot read included file ${included}`,
          error,
        );
      }
      const parsed = parseFile(source, included);
      seen.delete(included);
      return parsed;
    });
  }

  function parseFile(source: string, name: string): NginxDirective[] {
    const tokens = tokenize(source, name);
    let position = 0;

    const parseBlock = (closing: boolean): NginxDirective[] => {
      const directives: NginxDirective[] = [];
      let words: Array<{ text: string; line: number }> = [];

      while (position < tokens.length) {
        const token = tokens[position++];
        if (token.kind === 'word') {
          words.push(token);
          continue;
        }

        if (token.kind === '}') {
          if (!closing || words.length > 0) {
            throw new InputError(`${name}:${token.line}: unexpected "}"`);
          }
          return directives;
        }

        if (words.length === 0) {
          throw new InputError(
            `${name}:${token.line}: unexpected "${token.kind}"`,
          );
        }
        const [first, ...rest] = words;
        const directive: NginxDirective = {
          name: first.text,
          args: rest.map(w => w.text),
          file: name,
          line: first.line,
        };
        words = [];

        if (token.kind === '{') {
          directive.block = parseBlock(true);
          directives.push(directive);
        } else if (
          directive.name === 'include' &&
          directive.args.length === 1
        ) {
          directives.push(...includeFiles(directive));
        } else {
          directives.push(directive);
        }
      }

      if (closing || words.length > 0) {
        throw new InputError(
          `${name}: unexpected end of file, expecting "}" or ";"`,
        );
      }
      return directives;
    };

    return parseBlock(false);
  }

  return parseFile(text, file);
}

/** Reads and parses the nginx configuration file nginx itself would load. */
export function readNginxConfigFile(
  file: string,
  options: ParseOptions = {},
): NginxDirective[] {
  const readFile =
    options.readFile ?? ((name: string) => fs.readFileSync(name, 'utf8'));
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new InputError(`cannot read nginx configuration ${file}`, error);
  }
  return parseNginxConfig(text, file, options);
}

/** Every directive with this name, at any depth, in file order. */
export function findDirectives(
  directives: NginxDirective[],
  name: string,
): NginxDirective[] {
  const found: NginxDirective[] = [];
  const walk = (list: NginxDirective[]) => {
    for (const directive of list) {
      if (directive.name === name) found.push(directive);
      if (directive.block) walk(directive.block);
    }
  };
  walk(directives);
  return found;
}
