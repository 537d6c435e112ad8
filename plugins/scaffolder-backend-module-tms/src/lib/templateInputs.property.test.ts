import { createMockDirectory } from '@backstage/backend-test-utils';
import { isError } from '@backstage/errors';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { createTmsIstioGenerateAction } from '../actions/istio/createTmsIstioGenerateAction';
import { mockContextFor } from '../__testUtils__/runAction';
import { renderYamlDocuments } from './renderYaml';

/*
 * Template inputs and the YAML the actions write: any string, above all
 * one that looks like a number, boolean, null, date or octal in YAML 1.1
 * or 1.2, is read back as the same string; and random action inputs give
 * files or an InputError, never another failure.
 */

/** Strings YAML readers like to turn into something else. */
const lookalike = fc.oneof(
  fc.constantFrom(
    'yes',
    'No',
    'ON',
    'off',
    'y',
    'n',
    'true',
    'False',
    'null',
    'Null',
    '~',
    '',
    '.inf',
    '-.Inf',
    '.NaN',
    '0x1F',
    '0o17',
    '0777',
    '0b101',
    '1_000',
    '12:30:00',
    '2026-12-03',
    '2026-12-03T20:00:00Z',
    '1e3',
    '+1',
    '-0',
    '<<',
    '=',
    '!!str',
    '&anchor',
    '*alias',
    '? key',
    '- item',
    '# comment',
    '@at',
    '`tick',
    '{{ .Values.name }}',
    '${{ parameters.name }}',
    'a: b',
    '[1, 2]',
    '{a: 1}',
    '  padded  ',
    'tab\there',
    'line\nbreak',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc
    .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 59 }))
    .map(([a, b]) => `${a}:${b}`),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
);

const value = fc.letrec<{ value: unknown }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small' },
    lookalike,
    fc.integer(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(lookalike, tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('YAML written by the actions', () => {
  it.each(['1.1', '1.2'] as const)(
    'reads back every string as the same string in YAML %s',
    version => {
      fc.assert(
        fc.property(
          fc.array(fc.dictionary(lookalike, value, { maxKeys: 4 }), {
            minLength: 1,
            maxLength: 3,
          }),
          objects => {
            const text = renderYamlDocuments(objects);
            const read = parseAllDocuments(text, { version }).map(d =>
              d.toJS({ maxAliasCount: -1 }),
            );

            expect(read).toEqual(objects);
          },
        ),
        { numRuns: 1000 },
      );
    },
  );

  it('keeps a lookalike string a string as a top-level value', () => {
    fc.assert(
      fc.property(lookalike, text => {
        const written = renderYamlDocuments([{ annotation: text }]);

        expect(parse(written, { version: '1.1' }).annotation).toBe(text);
        expect(parse(written, { version: '1.2' }).annotation).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('tms:istio:generate on random inputs', () => {
  const workspace = createMockDirectory();
  const action = createTmsIstioGenerateAction();

  it('writes YAML that reads back to its input or refuses with an InputError', async () => {
    let written = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            service: fc.oneof(
              fc.constantFrom('quiz-service', '1e3', 'yes'),
              lookalike,
            ),
            port: fc.oneof(fc.integer({ min: -1, max: 70000 }), lookalike),
            hosts: fc.array(fc.oneof(fc.domain(), lookalike), { maxLength: 2 }),
            callers: fc.array(
              fc.oneof(fc.constantFrom('api-gateway'), lookalike),
              {
                maxLength: 2,
              },
            ),
            pathPrefix: fc.oneof(fc.webPath(), lookalike),
            namespace: lookalike,
          },
          { requiredKeys: ['service', 'port'] },
        ),
        async input => {
          workspace.clear();
          const ctx = mockContextFor(action, {
            workspacePath: workspace.path,
            input: input as any,
          });
          const failure = await action.handler(ctx).then(
            () => undefined,
            (error: unknown) =>
              isError(error) ? error.name : `not an Error: ${error}`,
          );
          expect([undefined, 'InputError']).toContain(failure);
          if (failure) {
            return;
          }
          written += 1;

          const [virtualService] = parseAllDocuments(
            readFileSync(
              workspace.resolve('istio/virtual-service.yaml'),
              'utf8',
            ),
            { version: '1.1' },
          ).map(d => d.toJS());
          expect(virtualService.metadata.name).toBe(input.service);
          expect(typeof virtualService.metadata.namespace).toBe('string');
        },
      ),
      { numRuns: 300 },
    );

    expect(written).toBeGreaterThan(0);
  });
});
