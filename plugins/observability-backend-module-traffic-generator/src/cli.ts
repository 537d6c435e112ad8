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

async function main() {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      token: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      encoding: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      'cycle-minutes': { type: 'string' },
    },
  });

  if (!values.endpoint) {
    fail(
      '--endpoint is required, for example http://127.0.0.1:7007/api/observability',
    );
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
  fail(String(error?.stack ?? error));
});
