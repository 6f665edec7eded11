// The one error registry. Every error the API can answer with has a stable code (never reused),
// an HTTP status and a problem type; the error handler in http/problem.ts turns them into
// RFC 9457 problem+json. Services throw these; routes never build error bodies by hand.

export const PROBLEM_BASE = 'https://signalbox.dev/problems/';

export interface ProblemField {
  /** JSON pointer-ish path of the offending input, e.g. `/body/address`. */
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly fields: ProblemField[] | undefined;
  readonly extra: Record<string, unknown> | undefined;
  constructor(
    readonly code: string,
    readonly statusCode: number,
    readonly title: string,
    detail: string,
    options: { fields?: ProblemField[]; extra?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'ApiError';
    this.fields = options.fields;
    this.extra = options.extra;
  }

  get type(): string {
    return PROBLEM_BASE + this.code.toLowerCase().replaceAll('_', '-');
  }
}

type ErrorFactory = (detail: string, options?: ConstructorParameters<typeof ApiError>[4]) => ApiError;

function define(code: string, statusCode: number, title: string): ErrorFactory & { code: string } {
  const factory = (detail: string, options?: ConstructorParameters<typeof ApiError>[4]) =>
    new ApiError(code, statusCode, title, detail, options);
  return Object.assign(factory, { code });
}

export const Errors = {
  badRequest: define('SB_BAD_REQUEST', 400, 'Bad request'),
  validation: define('SB_VALIDATION', 400, 'Invalid request'),
  unauthorized: define('SB_UNAUTHORIZED', 401, 'Authentication required'),
  forbidden: define('SB_FORBIDDEN', 403, 'Not allowed'),
  notFound: define('SB_NOT_FOUND', 404, 'Not found'),
  routeNotFound: define('SB_ROUTE_NOT_FOUND', 404, 'No such route'),
  methodNotAllowed: define('SB_METHOD_NOT_ALLOWED', 405, 'Method not allowed'),
  conflict: define('SB_CONFLICT', 409, 'Conflict'),
  payloadTooLarge: define('SB_PAYLOAD_TOO_LARGE', 413, 'Payload too large'),
  unsupportedMediaType: define('SB_UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported media type'),
  unprocessable: define('SB_UNPROCESSABLE', 422, 'Unprocessable content'),
  tooManyRequests: define('SB_TOO_MANY_REQUESTS', 429, 'Too many requests'),
  internal: define('SB_INTERNAL', 500, 'Internal error'),
  unavailable: define('SB_UNAVAILABLE', 503, 'Service unavailable'),
} as const;

/** The problem+json body of an error, as the API sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: ProblemField[];
  [key: string]: unknown;
}

export function toProblem(error: ApiError, instance?: string): Problem {
  return {
    type: error.type,
    title: error.title,
    status: error.statusCode,
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.fields ? { errors: error.fields } : {}),
    ...(error.extra ?? {}),
  };
}
