/*
 * docs/benchmarks.md holds one section per benchmark command. Each command
 * rewrites only its own section, so the file keeps the latest result of
 * every benchmark side by side.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../docs/benchmarks.md',
);

const HEADER = `# Benchmarks

Written by the benchmark commands (\`yarn bench\` runs them all); each section
is the latest run of one command on the machine named in it. Numbers from
different sections were not necessarily measured in the same run.
`;

/**
 * Replaces the section with the given id, or appends it.
 *
 * @param {string} id - stable id of the benchmark, used in the markers
 * @param {{ title: string, command: string, body: string }} section
 */
export function writeBenchmarkSection(id, { title, command, body }) {
  const begin = `<!-- benchmark:${id}:begin -->`;
  const end = `<!-- benchmark:${id}:end -->`;
  const text = [
    begin,
    `## ${title}`,
    '',
    `Measured ${new Date().toISOString()} by \`${command}\`.`,
    '',
    body,
    end,
  ].join('\n');

  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const start = current.indexOf(begin);
  const stop = current.indexOf(end);

  const next =
    start > -1 && stop > start
      ? current.slice(0, start) + text + current.slice(stop + end.length)
      : `${current.trimEnd()}\n\n${text}\n`;
  writeFileSync(file, next);
}
