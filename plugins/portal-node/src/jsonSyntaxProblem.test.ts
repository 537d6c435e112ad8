import fc from 'fast-check';
import { jsonErrorOffset, jsonSyntaxProblem } from './jsonSyntaxProblem';

type Problem = { at: number } | { token: string } | { some: true } | 'none';

/** Where V8's JSON.parse says a text goes wrong, in the terms it gives. */
function v8Problem(text: string): Problem {
  try {
    JSON.parse(text);
    return 'none';
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    if (position) {
      return { at: Number(position[1]) };
    }
    if (message === 'Unexpected end of JSON input') {
      return { at: text.length };
    }
    // The other messages quote the text instead of giving the position.
    const token = /^Unexpected token '(.)'/s.exec(message);
    return token ? { token: token[1] } : { some: true };
  }
}

/** What jsonErrorOffset says of the same text, in the terms V8 gave. */
function ourProblem(text: string, terms: Problem): Problem {
  const at = jsonErrorOffset(text);
  if (at === undefined) {
    return 'none';
  }
  if (typeof terms === 'object' && 'token' in terms) {
    return { token: text[at] };
  }
  if (typeof terms === 'object' && 'some' in terms) {
    return { some: true };
  }
  return { at };
}

/** Both sides of a comparison with V8, each with the text it is about. */
function compared(text: string) {
  const v8 = v8Problem(text);
  return {
    ours: { text, problem: ourProblem(text, v8) },
    v8: { text, problem: v8 },
  };
}

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": 1, "b": [true, null, "x\\n", -1.5e3]}', undefined],
    ['{"a": x}', 6],
    ['tru}', 3],
    ['{"a":1', 6],
    ['{"a":1}}', 7],
    ['[1, 2,]', 6],
    ['"\\q"', 2],
    ['"\\u12g4"', 5],
    ['-', 1],
    ['', 0],
    ['   ', 3],
    ['01', 1],
  ])('finds where %j goes wrong', (text, at) => {
    expect(jsonErrorOffset(text)).toBe(at);
    const { ours, v8 } = compared(text);
    expect(ours).toEqual(v8);
  });

  it('agrees with JSON.parse on any text of JSON characters', () => {
    const character = fc.constantFrom(
      ...'{}[]",:-+.0123456789eEtrufalsn \\u/bx\n\u0001',
    );
    fc.assert(
      fc.property(fc.string({ unit: character, maxLength: 30 }), text => {
        const { ours, v8 } = compared(text);
        expect(ours).toEqual(v8);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with JSON.parse on JSON with one character put in', () => {
    const broken = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom(...',:}]"x\\-0 '))
      .map(([json, i, c]) => {
        const at = i % (json.length + 1);
        return json.slice(0, at) + c + json.slice(at);
      });
    fc.assert(
      fc.property(broken, text => {
        const { ours, v8 } = compared(text);
        expect(ours).toEqual(v8);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('jsonSyntaxProblem', () => {
  it('names the problem and its place, and shows one character at most', () => {
    expect(jsonSyntaxProblem('{"password": x}')).toBe(
      "Unexpected token 'x' at position 13",
    );
    expect(jsonSyntaxProblem('["password"')).toBe(
      'Unexpected end of JSON input at position 11',
    );
    expect(jsonSyntaxProblem('["a"\u0001]')).toBe(
      'Unexpected token U+0001 at position 4',
    );
    expect(jsonSyntaxProblem('["a" \u{1F600}]')).toBe(
      'Unexpected token U+1F600 at position 5',
    );
    expect(jsonSyntaxProblem('{"password": "x"}')).toBeUndefined();
  });
});
