import { parseOtlpJson } from './readOtlpBody';

describe('parseOtlpJson', () => {
  it('keeps every digit of a 64-bit integer sent as a JSON number', () => {
    const body = Buffer.from(
      '{"spans":[{"startTimeUnixNano":1764770000123456789,"kind":2}]}',
    );

    expect(parseOtlpJson(body)).toEqual({
      spans: [{ startTimeUnixNano: '1764770000123456789', kind: 2 }],
    });
  });

  it('reads a body of strings and small numbers alike', () => {
    const body = Buffer.from(
      '{"startTimeUnixNano":"1764770000123456789","kind":2,"d":637.704,' +
        '"body":"order 1234567890123456789 shipped"}',
    );

    expect(parseOtlpJson(body)).toEqual({
      startTimeUnixNano: '1764770000123456789',
      kind: 2,
      d: 637.704,
      body: 'order 1234567890123456789 shipped',
    });
  });

  it.each([
    ['without long numbers', '{"kind": 2'],
    ['with a long number', '{"time": 1764770000123456789'],
  ])('refuses broken JSON %s with a 400', (_, text) => {
    expect(() => parseOtlpJson(Buffer.from(text))).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(/^The body is not valid JSON/),
      }),
    );
  });
});
