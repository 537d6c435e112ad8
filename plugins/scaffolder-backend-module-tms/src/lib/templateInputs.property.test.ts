import { createMockDirectory } from '@backstage/backend-test-utils';
import { isError } from '@backstage/errors';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { createTmsIstioGenerateAction } from '../actions/istio/createTmsIstioGenerateAction';
import { mockContextFor } from '../__testUtils__/runAction';
import { renderYamlDocuments } from './renderYaml';
import { DNS_LABEL, GATEWAY_HOSTS } from './tmsPlatform';

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

/** A Kubernetes name, including ones YAML 1.1 reads as a boolean or number. */
const dnsLabel = fc.oneof(
  fc.constantFrom('quiz-service', 'yes', 'n', 'null', '1e3', '0777', 'on'),
  fc.stringMatching(DNS_LABEL).filter(name => name.length <= 63),
);

/** Inputs the action's schema accepts: these must always be written. */
const acceptedInput = fc.record(
  {
    service: dnsLabel,
    port: fc.integer({ min: 1, max: 65535 }),
    hosts: fc.subarray([...GATEWAY_HOSTS]),
    callers: fc.array(
      fc.oneof(
        dnsLabel,
        fc.tuple(dnsLabel, dnsLabel).map(([ns, name]) => `${ns}/${name}`),
      ),
      { minLength: 1, maxLength: 2 },
    ),
    pathPrefix: fc.oneof(
      fc.webPath().map(path => `/${path}`),
      lookalike.map(text => `/${text}`),
    ),
    namespace: dnsLabel,
  },
  { requiredKeys: ['service', 'port', 'callers'] },
);

/** Inputs from anywhere: written, or refused with an InputError. */
const anyInput = fc.record(
  {
    service: fc.oneof(dnsLabel, lookalike),
    port: fc.oneof(fc.integer({ min: -1, max: 70000 }), lookalike),
    hosts: fc.array(fc.oneof(fc.domain(), lookalike), { maxLength: 2 }),
    callers: fc.array(fc.oneof(dnsLabel, lookalike), { maxLength: 2 }),
    pathPrefix: fc.oneof(fc.webPath(), lookalike),
    namespace: lookalike,
  },
  { requiredKeys: ['service', 'port'] },
);

describe('tms:istio:generate on random inputs', () => {
  const workspace = createMockDirectory();
  const action = createTmsIstioGenerateAction();

  async function run(input: Record<string, unknown>) {
    workspace.clear();
    const ctx = mockContextFor(action, {
      workspacePath: workspace.path,
      input: input as any,
    });

    return action.handler(ctx).then(
      () => undefined,
      (error: unknown) =>
        isError(error) ? error.name : `not an Error: ${error}`,
    );
  }

  function expectVirtualServiceOf(input: Record<string, unknown>) {
    const [virtualService] = parseAllDocuments(
      readFileSync(workspace.resolve('istio/virtual-service.yaml'), 'utf8'),
      { version: '1.1' },
    ).map(d => d.toJS());

    expect(virtualService.metadata.name).toBe(input.service);
    expect(virtualService.metadata.namespace).toBe(input.namespace ?? 'tms');
  }

  it('writes YAML that reads back to its input when the schema accepts it', async () => {
    await fc.assert(
      fc.asyncProperty(acceptedInput, async input => {
        const failure = await run(input);

        expect(failure).toBeUndefined();
        expectVirtualServiceOf(input);
      }),
      { numRuns: 150 },
    );
  });

  it('writes YAML or refuses with an InputError on any input', async () => {
    await fc.assert(
      fc.asyncProperty(anyInput, async input => {
        const failure = await run(input);

        expect([undefined, 'InputError']).toContain(failure);
        if (failure === undefined) {
          expectVirtualServiceOf(input);
        }
      }),
      { numRuns: 300 },
    );
  });
});
