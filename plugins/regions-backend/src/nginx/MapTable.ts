import { InputError } from '@backstage/errors';
import { NginxDirective } from './parseNginxConfig';

interface RegexEntry {
  pattern: RegExp;
  source: string;
  value: string;
}

/** The answer of a map for one input, with the key that matched. */
export interface MapAnswer {
  value: string;
  /** The exact key or regex that matched, undefined for the default. */
  key?: string;
}

/**
 * One `map` block of an nginx configuration, for maps whose input is a
 * client address ($remote_addr and the like). Exact keys match first
 * (case-insensitively, as nginx hashes them lower-cased), then the
 * regular expressions in file order (`~` case-sensitive, `~*` not), then
 * the default. `hostnames` wildcards and values that refer to other
 * variables are not supported: the map is refused rather than answered
 * wrongly.
 */
export class MapTable {
  /** The variable the map reads, without "$". */
  readonly source: string;
  /** The variable the map sets, without "$". */
  readonly variable: string;
  readonly defaultValue: string;
  readonly exact: ReadonlyMap<string, string>;
  readonly regexes: readonly RegexEntry[];

  static fromDirective(directive: NginxDirective): MapTable {
    return new MapTable(directive);
  }

  private constructor(directive: NginxDirective) {
    const where = `${directive.file}:${directive.line}`;
    const [source, variable] = directive.args;
    if (
      !directive.block ||
      directive.args.length !== 2 ||
      !source.startsWith('$') ||
      !variable.startsWith('$')
    ) {
      throw new InputError(
        `${where}: map needs a source and a result variable and a block, got ${directive.args.join(
          ' ',
        )}`,
      );
    }
    this.source = source.slice(1);
    this.variable = variable.slice(1);

    const exact = new Map<string, string>();
    const regexes: RegexEntry[] = [];
    let defaultValue = '';

    for (const d of directive.block) {
      const fail = (message: string): never => {
        throw new InputError(`${d.file}:${d.line}: ${message}`);
      };
      if (d.name === 'volatile' && d.args.length === 0) continue;
      if (d.name === 'hostnames' && d.args.length === 0) {
        fail(`map ${variable}: "hostnames" wildcards are not supported here`);
      }
      if (d.args.length !== 1) {
        fail(`invalid map line "${[d.name, ...d.args].join(' ')}"`);
      }
      const value = d.args[0];
      if (value.includes('$')) {
        fail(
          `map ${variable}: value "${value}" refers to a variable, which is not supported`,
        );
      }
      if (d.name === 'default') {
        defaultValue = value;
        continue;
      }
      if (d.name.startsWith('~')) {
        const insensitive = d.name.startsWith('~*');
        const text = d.name.slice(insensitive ? 2 : 1);
        try {
          regexes.push({
            pattern: new RegExp(text, insensitive ? 'i' : ''),
            source: d.name,
            value,
          });
        } catch (error) {
          fail(`map ${variable}: invalid regular expression "${text}"`);
        }
        continue;
      }
      // A leading backslash lets a key be a word map would read as a
      // keyword ("\default", "\include").
      const key = (
        d.name.startsWith('\\') ? d.name.slice(1) : d.name
      ).toLowerCase();
      if (exact.has(key)) {
        fail(`map ${variable}: conflicting parameter "${d.name}"`);
      }
      exact.set(key, value);
    }

    this.exact = exact;
    this.regexes = regexes;
    this.defaultValue = defaultValue;
  }

  lookup(input: string): MapAnswer {
    const exact = this.exact.get(input.toLowerCase());
    if (exact !== undefined) {
      return { value: exact, key: input.toLowerCase() };
    }
    for (const entry of this.regexes) {
      if (entry.pattern.test(input)) {
        return { value: entry.value, key: entry.source };
      }
    }
    return { value: this.defaultValue };
  }
}
