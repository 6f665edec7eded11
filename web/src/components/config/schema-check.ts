// Checks a draft as the user types: first that it is JSON, then that it satisfies the
// document's JSON Schema with the same validator and options as the server (ajv 8, all errors,
// ajv-formats), so what passes here passes the publish (the server still decides: 422).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export interface DraftProblem {
  /** JSON Pointer into the document ('' for the whole of it). */
  path: string;
  message: string;
}

export type DraftCheck =
  | { ok: true; value: unknown }
  | { ok: false; kind: 'syntax'; problems: DraftProblem[] }
  | { ok: false; kind: 'schema'; value: unknown; problems: DraftProblem[] };

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction | Error>();

function compile(schema: unknown): ValidateFunction | Error {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    ajv ??= addFormats(new Ajv({ allErrors: true, strict: false }));
    try {
      validate = ajv.compile(schema as object);
    } catch (error) {
      validate = error as Error;
    }
    compiled.set(key, validate);
  }
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

export function checkDraft(text: string, schema: unknown): DraftCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, kind: 'syntax', problems: [{ path: '', message: (error as Error).message }] };
  }
  if (schema === null || schema === undefined) return { ok: true, value };
  const validate = compile(schema);
  if (validate instanceof Error) {
    return {
      ok: false,
      kind: 'schema',
      value,
      problems: [{ path: '', message: `the schema does not compile: ${validate.message}` }],
    };
  }
  if (validate(value)) return { ok: true, value };
  return {
    ok: false,
    kind: 'schema',
    value,
    problems: (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: describe(e) })),
  };
}
