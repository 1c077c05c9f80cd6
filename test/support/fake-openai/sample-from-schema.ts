// Builds a plausible value that is valid against a JSON Schema (the subset structured outputs use):
// object/properties, array with minItems/maxItems, string with enum/const/minLength/maxLength/format,
// number/integer with minimum/maximum, boolean, null, type arrays, anyOf/oneOf, $ref to definitions.
type Schema = Record<string, any>;

const MAX_DEPTH = 8;

export function sampleFromSchema(root: Schema): unknown {
  return sample(root, root, 'value', 0, 0);
}

function sample(schema: Schema | boolean | undefined, root: Schema, name: string, index: number, depth: number): unknown {
  if (schema === undefined || typeof schema === 'boolean') return `${name} ${index + 1}`;
  if (schema.$ref) return sample(resolveRef(root, schema.$ref), root, name, index, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[index % schema.enum.length];
  const options = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(options) && options.length > 0) {
    // Prefer a non-null option so the sample carries content.
    const pick = options.find((o: Schema) => o.type !== 'null') ?? options[0];
    return sample(pick, root, name, index, depth + 1);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return sample(schema.allOf[0], root, name, index, depth + 1);

  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const type = types.find((t) => t !== 'null') ?? types[0] ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string');
  switch (type) {
    case 'object':
      return sampleObject(schema, root, index, depth);
    case 'array':
      return sampleArray(schema, root, name, depth);
    case 'integer':
    case 'number':
      return sampleNumber(schema, type, index);
    case 'boolean':
      return index % 2 === 0;
    case 'null':
      return null;
    default:
      return sampleString(schema, name, index);
  }
}

function sampleObject(schema: Schema, root: Schema, index: number, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (depth >= MAX_DEPTH) return result;
  for (const [key, child] of Object.entries<Schema>(schema.properties ?? {})) {
    result[key] = sample(child, root, key, index, depth + 1);
  }
  return result;
}

function sampleArray(schema: Schema, root: Schema, name: string, depth: number): unknown[] {
  const min = schema.minItems ?? 0;
  const max = schema.maxItems ?? Number.POSITIVE_INFINITY;
  const count = depth >= MAX_DEPTH ? min : Math.min(Math.max(3, min), max);
  const itemName = singular(name);
  return Array.from({ length: count }, (_, i) => sample(schema.items, root, itemName, i, depth + 1));
}

function sampleNumber(schema: Schema, type: string, index: number): number {
  let low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
  const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : low + 100);
  if (type === 'integer') low = Math.ceil(low);
  const value = Math.min(low + index, high);
  return type === 'integer' ? Math.floor(value) : value;
}

function sampleString(schema: Schema, name: string, index: number): string {
  const n = index + 1;
  let text: string;
  switch (schema.format) {
    case 'email':
      text = `learner${n}@example.com`;
      break;
    case 'uri':
    case 'url':
      text = `https://example.com/${name}/${n}`;
      break;
    case 'date-time':
      text = new Date(Date.UTC(2026, 0, n)).toISOString();
      break;
    case 'date':
      text = new Date(Date.UTC(2026, 0, n)).toISOString().slice(0, 10);
      break;
    case 'uuid':
      text = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      break;
    default:
      text = `${name} ${n}`;
  }
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
  if (text.length < min) text = text.padEnd(min, ' x');
  if (text.length > max) text = text.slice(0, max);
  return text;
}

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: any = root;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function singular(name: string): string {
  return name.endsWith('s') && name.length > 3 ? name.slice(0, -1) : name;
}

/** A value that breaks the schema the way models do: a required property left out (or not an object at all). */
export function breakSchema(root: Schema, valid: unknown): unknown {
  const required: string[] = Array.isArray(root.required) ? root.required : [];
  if (valid && typeof valid === 'object' && !Array.isArray(valid) && required.length > 0) {
    const copy: Record<string, unknown> = { ...(valid as Record<string, unknown>) };
    delete copy[required[0]!];
    return copy;
  }
  return ['not', 'an', 'object'];
}
