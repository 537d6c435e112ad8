import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

/** An action's input schema in the zod field-function form. */
export type InputFields = Record<string, (zImpl: typeof z) => z.ZodTypeAny>;

/** The input a handler works with: validated, defaults filled in. */
export type ParsedInput<T extends InputFields> = {
  [K in keyof T]: z.output<ReturnType<T[K]>>;
};

/**
 * Parses an action's input with its own field schemas. The scaffolder only
 * checks input against the JSON schema derived from them, which fills in no
 * defaults, so the handler parses again to get them.
 */
export function parseInput<T extends InputFields>(
  fields: T,
  input: unknown,
): ParsedInput<T> {
  const schema = z.object(
    Object.fromEntries(
      Object.entries(fields).map(([key, field]) => [key, field(z)]),
    ),
  );

  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const value = issue.path.reduce<any>((v, key) => v?.[key], input);
      const field = issue.path.join('.') || 'input';
      return `${field}: ${issue.message}, got ${JSON.stringify(value)}`;
    });
    throw new InputError(`Invalid input: ${problems.join('; ')}`);
  }
  return result.data as ParsedInput<T>;
}

/** The output field listing workspace files an action wrote or read. */
export function workspaceFilesField(description: string) {
  return (zImpl: typeof z) =>
    zImpl
      .array(zImpl.string())
      .describe(`${description}, relative to the workspace`);
}
