import { parse, parseAllDocuments } from 'yaml';
import { renderYamlDocuments } from './renderYaml';

describe('renderYamlDocuments', () => {
  const annotations = {
    version: '1.10',
    answer: 'NO',
    offset: '-1',
    enabled: 'yes',
    switch: 'on',
    octal: '0o17',
    legacyOctal: '0777',
    sexagesimal: '12:30',
    empty: '',
    tilde: '~',
    date: '2024-01-01',
    plain: 'payment-service',
    goTemplate: '{{.name}}',
    comment: '# not a comment',
  };

  it.each(['1.1', '1.2'] as const)(
    'keeps strings that look like numbers or booleans strings in YAML %s',
    version => {
      const text = renderYamlDocuments([{ metadata: { annotations } }]);

      expect(parse(text, { version }).metadata.annotations).toEqual(
        annotations,
      );
    },
  );

  it('quotes only what needs quoting and keeps numbers and booleans', () => {
    const text = renderYamlDocuments([
      { port: 8011, strict: true, name: 'payment-service', weight: '100' },
    ]);

    expect(text).toBe(
      'port: 8011\nstrict: true\nname: payment-service\nweight: "100"\n',
    );
  });

  it('writes one document per object', () => {
    const text = renderYamlDocuments([{ kind: 'A' }, { kind: 'B' }]);

    expect(parseAllDocuments(text).map(d => d.toJSON())).toEqual([
      { kind: 'A' },
      { kind: 'B' },
    ]);
  });
});
