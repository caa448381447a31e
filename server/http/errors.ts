/**
 * The one error catalogue: every error the API returns has a code here, an HTTP status, and a message key
 * `errors:code.<CODE>` translated into the caller's language by the error handler.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  MALFORMED_MULTIPART: 400,
  TOKEN_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_DISABLED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  NO_COMPANY: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  ALREADY_MEMBER: 409,
  USER_EXISTS: 409,
  EMAIL_NOT_VERIFIED: 409,
  LAST_OWNER: 409,
  TOKEN_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  /** A stored amount or a sum that is not a safe integer (data from before the amount bounds): refused, not rounded. */
  AMOUNT_OUT_OF_RANGE: 422,
  /** A company's report work is at its bound (server/modules/reports/reports.work.ts); sent with Retry-After. */
  REPORTS_BUSY: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A field-level problem: `path` is the field (dotted for nested), `key` a message key in errors:field.*. */
export type FieldProblem = { path: string; key: string; params?: Record<string, unknown> };

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    readonly fields: FieldProblem[] = [],
  ) {
    super(code);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const forbidden = () => new AppError('FORBIDDEN');
export const invalidField = (path: string, key: string, params?: Record<string, unknown>) =>
  new AppError('VALIDATION_FAILED', {}, [{ path, key, params }]);

/** A body field naming a row the caller cannot see (another company's, or none): 404, like a path id. */
export const unknownReference = (path: string) => new AppError('NOT_FOUND', {}, [{ path, key: 'unknownReference' }]);
