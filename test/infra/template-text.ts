/**
 * A CloudFormation string value as text: the parts of an `Fn::Join` joined, each reference or attribute written as
 * `<Ref:Id>` or `<Id.Attribute>`, so a value built from tokens (a dashboard body, a URL) can be read and parsed.
 */
export function templateText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(templateText).join(separator);
    }
    if ('Ref' in object) return `<Ref:${String(object.Ref)}>`;
    if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  }
  return JSON.stringify(value);
}
