import fs from 'node:fs';
import path from 'node:path';
import {
  fillTestConfig,
  GeoCase,
  nginxGeoDir,
  readCorpusYaml,
} from '../__testUtils__/corpus';
import { NginxRouting } from './NginxRouting';
import { parseNginxConfig } from './parseNginxConfig';

interface ExpectedFile {
  included_files?: Record<string, string>;
  cases: GeoCase[];
}

function loadCorpus(name: string) {
  const dir = path.join(nginxGeoDir, 'nginx-tests-extracted');
  const expected = readCorpusYaml<ExpectedFile>(
    path.join(dir, `${name}.expected.yaml`),
  );
  const text = fillTestConfig(
    fs.readFileSync(path.join(dir, `${name}.nginx.conf`), 'utf8'),
    { port: 8080 },
  );
  const file = path.join(dir, `${name}.nginx.conf`);
  const included = expected.included_files ?? {};
  const routing = NginxRouting.fromDirectives(
    file,
    parseNginxConfig(text, file, {
      readFile: includedFile => {
        const content = included[path.basename(includedFile)];
        if (content === undefined) throw new Error(`no file ${includedFile}`);
        return content;
      },
    }),
  );
  return { routing, expected };
}

describe('geo blocks against the assertions of nginx-tests', () => {
  for (const name of ['geo.t', 'geo_ipv6.t']) {
    const { routing, expected } = loadCorpus(name);

    it.each(expected.cases.map(c => [c.name, c]))(`${name}: %s`, (_name, c) => {
      const answer = routing.lookup(c.variable.slice(1), {
        remote: c.remote_addr ?? '127.0.0.1',
        xForwardedFor: c.x_forwarded_for,
        args: c.arg_ip === undefined ? {} : { ip: c.arg_ip },
      });
      expect(answer.value).toBe(c.value);
    });
  }
});

describe('geo semantics', () => {
  const routing = (body: string) =>
    NginxRouting.fromDirectives(
      'test.conf',
      parseNginxConfig(`http { geo $g { ${body} } }`, 'test.conf'),
    );

  it('lets the most specific network win whatever the line order', () => {
    const geo = routing(`
      10.1.2.0/24 c; 10.0.0.0/8 a; 10.1.0.0/16 b; default d;
    `);
    const value = (ip: string) => geo.lookup('g', { remote: ip }).value;

    expect(value('10.1.2.3')).toBe('c');
    expect(value('10.1.3.1')).toBe('b');
    expect(value('10.2.0.0')).toBe('a');
    expect(value('11.0.0.0')).toBe('d');
    expect(value('9.255.255.255')).toBe('d');
    expect(value('2001:db8::1')).toBe('d');
    expect(geo.lookup('g', { remote: '10.1.2.3' }).matched).toBe('10.1.2.0/24');
  });

  it('answers the empty string where nothing matches and there is no default', () => {
    const geo = routing('0.0.0.0/0 world;');

    expect(geo.lookup('g', { remote: '2001:db8::1' }).value).toBe('');
    expect(geo.lookup('g', { remote: '::ffff:1.2.3.4' }).value).toBe('world');
  });

  it('lets a later duplicate network replace the earlier value and warns', () => {
    const geo = routing('10.0.0.0/8 a; 10.0.0.1/8 b;');

    expect(geo.lookup('g', { remote: '10.9.9.9' }).value).toBe('b');
    expect(geo.warnings.map(w => w.message)).toEqual([
      'low address bits of 10.0.0.1/8 are meaningless',
      'duplicate network "10.0.0.1/8", value: "b", old value: "a"',
    ]);
  });

  it('treats default as 0.0.0.0/0 and ::/0, so a later 0.0.0.0/0 replaces it for IPv4 only', () => {
    // What nginx 1.22 answers (checked by hand: "b" and "a", with the
    // warning "duplicate network").
    const geo = routing('default a; 0.0.0.0/0 b;');

    expect(geo.lookup('g', { remote: '1.2.3.4' }).value).toBe('b');
    expect(geo.lookup('g', { remote: '2001:db8::1' }).value).toBe('a');
    expect(geo.warnings.map(w => w.message)).toEqual([
      'duplicate network "0.0.0.0/0", value: "b", old value: "a"',
    ]);
  });

  it('refuses a range that partly overlaps another, as nginx does', () => {
    expect(() =>
      routing('ranges; 10.0.0.0-10.0.0.10 a; 10.0.0.5-10.0.0.20 b;'),
    ).toThrow(/range "10.0.0.5-10.0.0.20" overlaps "10.0.0.0-10.0.0.10"/);
  });

  it('names the offending network of a bad line', () => {
    expect(() => routing('10.0.0.300/8 a;')).toThrow(
      /test.conf:1: invalid network "10.0.0.300\/8"/,
    );
    expect(() => routing('~^1\\. a;')).toThrow(/invalid network "~\^1\\\.\"/);
  });
});
