import { silences } from './fingerprint';
import { Silence } from './types';

function silence(matchers: Silence['matchers']): Silence {
  return {
    id: 's1',
    matchers,
    comment: 'maintenance',
    createdBy: 'user:default/ada',
    createdAtMs: 0,
    startsAtMs: 0,
    endsAtMs: 1,
  };
}

describe('silence matchers', () => {
  it('matches a regular expression against the whole label', () => {
    const quiz = silence([
      { name: 'service', value: 'quiz-.*', isRegex: true },
    ]);

    expect(silences(quiz, { service: 'quiz-service' })).toBe(true);
    expect(silences(quiz, { service: 'my-quiz-service' })).toBe(false);
    expect(silences(quiz, {})).toBe(false);
  });

  it('answers at once for a pattern that backtracks catastrophically in JavaScript', () => {
    // JavaScript's RegExp would not finish (a+)+ against 50,000 a's and a
    // '!'; RE2 is linear in the label, so no silence stalls the evaluator.
    const nested = silence([
      { name: 'service', value: '(a+)+', isRegex: true },
    ]);

    expect(silences(nested, { service: `${'a'.repeat(50_000)}!` })).toBe(false);
    expect(silences(nested, { service: 'aaaa' })).toBe(true);
  });
});
