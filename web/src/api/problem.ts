// Every failure the pages show is a problem+json document (RFC 9457): the API's own, the
// proxy's (API unreachable), or one made here from a network error. Normalized once, here.

export interface ProblemField {
  path: string;
  message: string;
}

export interface Problem {
  status: number | undefined;
  title: string;
  detail: string;
  type: string | undefined;
  code: string | undefined;
  errors: ProblemField[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function toProblem(error: unknown): Problem {
  if (isRecord(error) && (typeof error.detail === 'string' || typeof error.title === 'string')) {
    const errors = Array.isArray(error.errors)
      ? error.errors.filter(
          (item): item is ProblemField =>
            isRecord(item) && typeof item.path === 'string' && typeof item.message === 'string',
        )
      : [];
    return {
      status: typeof error.status === 'number' ? error.status : undefined,
      title: typeof error.title === 'string' ? error.title : 'Request failed',
      detail: typeof error.detail === 'string' ? error.detail : '',
      type: typeof error.type === 'string' ? error.type : undefined,
      code: typeof error.code === 'string' ? error.code : undefined,
      errors,
    };
  }
  if (error instanceof Error) {
    return {
      status: undefined,
      title: error.name === 'TypeError' ? 'The dashboard server does not answer' : 'Something went wrong',
      detail: error.message,
      type: undefined,
      code: undefined,
      errors: [],
    };
  }
  return {
    status: undefined,
    title: 'Request failed',
    detail: typeof error === 'string' ? error : 'The request failed without an explanation.',
    type: undefined,
    code: undefined,
    errors: [],
  };
}

/** 4xx answers will not change by asking again; 5xx and network failures might. */
export function isRetryable(error: unknown): boolean {
  const { status } = toProblem(error);
  return status === undefined || status >= 500 || status === 429;
}
