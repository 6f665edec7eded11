// JSON Schema validation of configuration documents (ajv 8, draft 2020-12 and draft-07 keywords,
// formats from ajv-formats). Compiled validators are cached by schema text: a schema changes
// rarely and is checked on every publish.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Errors, type ProblemField } from '../errors.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);

const cache = new Map<string, ValidateFunction>();
const CACHE_LIMIT = 500;

/** Compiles a schema or throws 422 naming what is wrong with it (at `/body/schema`). */
export function compileSchema(schema: unknown, at = '/body/schema'): ValidateFunction {
  const key = JSON.stringify(schema);
  const known = cache.get(key);
  if (known) return known;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw Errors.unprocessable('the schema must be a JSON Schema object', {
      fields: [{ path: at, message: 'is not an object' }],
    });
  }
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw Errors.unprocessable(`the schema does not compile: ${(error as Error).message}`, {
      fields: [{ path: at, message: (error as Error).message }],
    });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, validate);
  return validate;
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    return `has unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (error.keyword === 'required') {
    return `is missing required property "${(error.params as { missingProperty: string }).missingProperty}"`;
  }
  return error.message ?? error.keyword;
}

/** Every place `content` breaks `schema`, as problem fields under `prefix` (JSON pointers). */
export function schemaViolations(schema: unknown, content: unknown, prefix = '/body/content'): ProblemField[] {
  const validate = compileSchema(schema);
  if (validate(content)) return [];
  return (validate.errors ?? []).map((error) => ({ path: `${prefix}${error.instancePath}`, message: describe(error) }));
}
