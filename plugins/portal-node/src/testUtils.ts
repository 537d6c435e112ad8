/** What a route answered, as supertest gives it. */
interface Answer {
  status: number;
  body: any;
  text: string;
}

/**
 * Checks that a route reads its body with `jsonBody`: a text/plain body is
 * a 415 that names the type, and malformed JSON a 400 (InputError) that
 * names the place without repeating the body. `send` sends `body` to the
 * route with the Content-Type given, with whatever credentials it needs.
 */
export async function expectJsonBodyChecks(
  send: (contentType: string, body: string) => PromiseLike<Answer>,
) {
  const text = await send('text/plain', 'hunter2');
  expect(text.status).toBe(415);
  expect(text.body.error).toMatchObject({
    name: 'UnsupportedMediaTypeError',
    message:
      "Content-Type 'text/plain' is not supported; send application/json",
  });

  const malformed = await send(
    'application/json',
    '{"secret": "hunter2", oops}',
  );
  expect(malformed.status).toBe(400);
  expect(malformed.body.error).toEqual({
    name: 'InputError',
    message:
      "Request body is not valid JSON: Unexpected token 'o' at position 22",
  });
  expect(malformed.text).not.toContain('hunter2');
}
