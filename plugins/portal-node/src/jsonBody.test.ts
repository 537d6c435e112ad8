import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { jsonBody } from './jsonBody';
import { expectJsonBodyChecks } from './__testUtils__';

/** An app that answers with the body it read, and Backstage's errors. */
function app(limit: number | string = 1000) {
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  });
  return express()
    .use(jsonBody({ limit }))
    .post('/echo', (req, res) => {
      res.json({ body: req.body });
    })
    .use(middleware.error());
}

describe('jsonBody', () => {
  it('reads a JSON body, with or without a charset or a +json type', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'application/merge-patch+json',
    ]) {
      const response = await request(app())
        .post('/echo')
        .set('content-type', type)
        .send('{"a": [1, "two"]}');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ body: { a: [1, 'two'] } });
    }
  });

  it('gives {} to a request without a body, whatever its type', async () => {
    const response = await request(app())
      .post('/echo')
      .set('content-type', 'text/plain');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ body: {} });
  });

  it('passes the checks that routers using it run', async () => {
    await expect(
      expectJsonBodyChecks((type, body) =>
        request(app()).post('/echo').set('content-type', type).send(body),
      ),
    ).resolves.toBeUndefined();
  });

  it.each([
    [
      'application/x-www-form-urlencoded',
      'a=1',
      "Content-Type 'application/x-www-form-urlencoded' is not supported",
    ],
    [undefined, Buffer.from('{"a":1}'), 'The request body has no Content-Type'],
  ])('refuses a %s body with 415', async (type, body, message) => {
    let call = request(app()).post('/echo');
    if (type) {
      call = call.set('content-type', type);
    }
    const response = await call.send(body);
    expect(response.status).toBe(415);
    expect(response.body.error).toMatchObject({
      name: 'UnsupportedMediaTypeError',
      message: expect.stringContaining(message),
    });
    expect(response.body.error.message).toContain('send application/json');
  });

  it.each([
    [
      '{"password": "hunter2"',
      'Request body is not valid JSON: Unexpected end of JSON input at position 22',
    ],
    [
      '{"password": "hunter2"} trailing',
      "Request body is not valid JSON: Unexpected token 't' at position 24",
    ],
    ['"hunter2"', 'Request body must be a JSON object or array'],
    ['null', 'Request body must be a JSON object or array'],
  ])(
    'answers %j with a 400 that names the problem without repeating the body',
    async (body, message) => {
      const response = await request(app())
        .post('/echo')
        .set('content-type', 'application/json')
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body.error).toEqual({ name: 'InputError', message });
      expect(response.text).not.toContain('hunter2');
    },
  );

  it('refuses a body over the limit with 413', async () => {
    const response = await request(app('1kb'))
      .post('/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ secret: 'x'.repeat(2000) }));
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({
      name: 'PayloadTooLargeError',
      message: 'Request body is over the limit of 1024 bytes',
    });
    expect(response.text).not.toContain('xxxx');
  });

  it('refuses a charset other than UTF-8 with 415', async () => {
    const response = await request(app())
      .post('/echo')
      .set('content-type', 'application/json; charset=latin1')
      .send('{}');
    expect(response.status).toBe(415);
    expect(response.body.error.message).toBe(
      "Charset 'latin1' is not supported; send UTF-8",
    );
  });
});
