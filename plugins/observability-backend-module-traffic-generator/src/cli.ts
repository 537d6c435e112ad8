/*
 * The traffic generator as a load generator, against any OTLP/HTTP receiver
 * that speaks the engine's paths:
 *
 *   yarn traffic --endpoint http://127.0.0.1:7007/api/observability \
 *     --token <static token> --rate 200 --duration 60 --encoding protobuf \
 *     [--scenario steady --scenario brute-force ...] [--cycle-minutes 10]
 */
import { parseArgs } from 'node:util';
import { SCENARIOS, ScenarioName } from './scenarios';
import { OtlpEncoding, TrafficGenerator } from './TrafficGenerator';

function fail(message: string): never {
  process.stderr.write(`tms-traffic: ${message}\n`);
  process.exit(2);
}

function positive(name: string, text: string | undefined, fallback: number) {
  const value = text === undefined ? fallback : Number(text);
  if (!(value > 0)) {
    fail(`--${name} must be a number above 0, not '${text}'`);
  }
  return value;
}

const OPTIONS = {
  endpoint: { type: 'string' },
  token: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  encoding: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  'cycle-minutes': { type: 'string' },
} as const;

/** The command line's options; an unknown or incomplete one ends the run. */
function readOptions() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    // node:util names the option in its message, for example "Unknown
    // option '--rat'"; the stack says nothing more to someone typing.
    return fail(`${(error as Error).message}; see the usage in ${__filename}`);
  }
}

async function main() {
  const values = readOptions();

  if (!values.endpoint) {
    fail(
      '--endpoint is required, for example http://127.0.0.1:7007/api/observability',
    );
  }
  const protocol = URL.canParse(values.endpoint)
    ? new URL(values.endpoint).protocol
    : undefined;
  if (protocol !== 'http:' && protocol !== 'https:') {
    fail(`--endpoint must be an http or https URL, not '${values.endpoint}'`);
  }
  const encoding = (values.encoding ?? 'protobuf') as OtlpEncoding;
  if (encoding !== 'json' && encoding !== 'protobuf') {
    fail(`--encoding must be json or protobuf, not '${values.encoding}'`);
  }
  const scenarios = (values.scenario ?? ['steady']) as ScenarioName[];
  const unknown = scenarios.find(s => !SCENARIOS.includes(s));
  if (unknown) {
    fail(`no scenario '${unknown}'; choose from ${SCENARIOS.join(', ')}`);
  }
  const rate = positive('rate', values.rate, 50);
  const seconds = positive('duration', values.duration, 60);

  const generator = TrafficGenerator.create({
    endpoint: values.endpoint.replace(/\/+$/, ''),
    encoding,
    headers: async (): Promise<Record<string, string>> =>
      values.token ? { Authorization: `Bearer ${values.token}` } : {},
    requestsPerSecond: rate,
    scenarios,
    cycleMinutes: values['cycle-minutes']
      ? positive('cycle-minutes', values['cycle-minutes'], 10)
      : undefined,
  });

  generator.start();
  await new Promise(resolve => setTimeout(resolve, seconds * 1000));
  await generator.stop();

  process.stdout.write(
    `tms-traffic: ${generator.requests} requests in ${seconds} s ` +
      `(${encoding}, ${scenarios.join(', ')})\n`,
  );
}

main().catch(error => {
  fail(String(error?.message ?? error));
});
