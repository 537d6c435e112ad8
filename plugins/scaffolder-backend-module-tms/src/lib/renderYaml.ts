import { Document, isScalar, parseDocument, visit } from 'yaml';

/**
 * Whether a plain (unquoted) scalar with this text would be read back as
 * something other than a string. Kubernetes tooling still reads YAML 1.1,
 * where `NO`, `on` and `0777` are not strings, while most editors and the
 * JavaScript world read YAML 1.2, so a string must survive both.
 */
function changesTypeWhenPlain(text: string): boolean {
  if (text.includes('\n')) {
    return false;
  }

  // As a key, a plain << is YAML 1.1's merge key, whose value is merged
  // into the map instead of kept under that name.
  if (text === '<<') {
    return true;
  }

  // Inspect the parsed node rather than its JavaScript value: converting
  // text such as `{{.name}}` would warn about a map used as a key.
  return (['1.1', '1.2'] as const).some(version => {
    const { contents, errors } = parseDocument(text, { version });
    return (
      errors.length > 0 ||
      !isScalar(contents) ||
      typeof contents.value !== 'string'
    );
  });
}

/**
 * Renders Kubernetes objects as one multi-document YAML text in which every
 * string stays a string: `"1.10"`, `"NO"` and `"-1"` are written quoted.
 *
 * @internal
 */
export function renderYamlDocuments(objects: object[]): string {
  return objects
    .map(object => {
      const document = new Document(object);
      visit(document, {
        Scalar(_, node) {
          if (
            typeof node.value === 'string' &&
            changesTypeWhenPlain(node.value)
          ) {
            node.type = 'QUOTE_DOUBLE';
          }
        },
      });
      return document.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
