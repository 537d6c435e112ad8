const SPACE = ' \t\n\r';
const ESCAPED = '"\\/bfnrt';
const HEX = /^[0-9a-fA-F]$/;

/**
 * Where a text stops being JSON: the offset of the first character that
 * cannot continue it, its length when it ends too soon, or undefined when
 * it is JSON. JSON.parse stops at the same place.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let at = 0;
  const isDigit = () => text[at] >= '0' && text[at] <= '9';
  const skipSpace = () => {
    while (at < text.length && SPACE.includes(text[at])) at++;
  };
  const digits = () => {
    const start = at;
    while (isDigit()) at++;
    return at > start;
  };
  const word = (expected: string) =>
    [...expected].every(c => text[at] === c && ++at > 0);

  const string = () => {
    at++;
    while (at < text.length) {
      const c = text[at];
      if (c === '"') {
        at++;
        return true;
      }
      if (c < ' ') return false;
      at++;
      if (c === '\\') {
        if (text[at] === 'u') {
          at++;
          for (let i = 0; i < 4; i++, at++) {
            if (!HEX.test(text[at] ?? '')) return false;
          }
        } else if (at < text.length && ESCAPED.includes(text[at])) {
          at++;
        } else {
          return false;
        }
      }
    }
    return false;
  };
  const number = () => {
    if (text[at] === '-') at++;
    if (text[at] === '0') at++;
    else if (!digits()) return false;
    if (text[at] === '.') {
      at++;
      if (!digits()) return false;
    }
    if (text[at] === 'e' || text[at] === 'E') {
      at++;
      if (text[at] === '+' || text[at] === '-') at++;
      if (!digits()) return false;
    }
    return true;
  };
  const key = () => {
    skipSpace();
    if (text[at] !== '"' || !string()) return false;
    skipSpace();
    return text[at] === ':' && ++at > 0;
  };
  const scalar = () => {
    const c = text[at];
    if (c === '"') return string();
    if (c === '-' || isDigit()) return number();
    if (c === 't') return word('true');
    if (c === 'f') return word('false');
    return c === 'n' && word('null');
  };

  // The open objects and arrays, innermost last.
  const open: string[] = [];
  for (;;) {
    // A value is expected here.
    skipSpace();
    const c = text[at];
    if (c === '{' || c === '[') {
      at++;
      skipSpace();
      if (text[at] === (c === '{' ? '}' : ']')) {
        at++;
      } else {
        open.push(c);
        if (c === '{' && !key()) return at;
        continue;
      }
    } else if (!scalar()) {
      return at;
    }

    // After a value: a comma, the end of what holds it, or of the text.
    for (;;) {
      skipSpace();
      const holder = open[open.length - 1];
      if (holder === undefined) {
        return at === text.length ? undefined : at;
      }
      if (text[at] === (holder === '{' ? '}' : ']')) {
        at++;
        open.pop();
      } else if (text[at] === ',') {
        at++;
        if (holder === '{' && !key()) return at;
        break;
      } else {
        return at;
      }
    }
  }
}

/** One character of a text, so that a message shows no more of it. */
function showCharacter(text: string, at: number) {
  const code = text.codePointAt(at)!;
  return code > 0x20 && code < 0x7f
    ? `'${text[at]}'`
    : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What is wrong with a text as JSON, such as `Unexpected token 'x' at
 * position 6`, or undefined when it is JSON. For messages about request
 * bodies: V8's own (from JSON.parse) quotes the text around the problem,
 * and with it what a caller sent, which an error must not repeat.
 */
export function jsonSyntaxProblem(text: string): string | undefined {
  const at = jsonErrorOffset(text);
  if (at === undefined) {
    return undefined;
  }
  return at < text.length
    ? `Unexpected token ${showCharacter(text, at)} at position ${at}`
    : `Unexpected end of JSON input at position ${at}`;
}
