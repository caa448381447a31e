import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { matchLanguage, parseAcceptLanguage, type Language } from '../../common/languages';
import { translate } from '../i18n/i18n';
import { UnsafeAmountError } from '../domain/money';
import { AppError, type ErrorCode, type FieldProblem } from './errors';

/** The caller's language: the user's setting, else Accept-Language, else the company default (CONTRACTS.md). */
export function requestLanguage(req: FastifyRequest): Language {
  const ctx = req.ctx;
  if (ctx?.userLanguage) return ctx.userLanguage;
  return matchLanguage(parseAcceptLanguage(req.headers['accept-language'])) ?? ctx?.companyLanguage ?? 'en';
}

type ZodLikeIssue = { keyword: string; instancePath: string; message?: string; params: Record<string, any> };

/** Maps a zod issue (as fastify-type-provider-zod reports it) to a translated field problem. */
function issueToProblems(issue: ZodLikeIssue, prefix: string): FieldProblem[] {
  const path = [prefix, issue.instancePath.replace(/^\//, '').replace(/\//g, '.')].filter(Boolean).join('.');
  const p = issue.params ?? {};
  switch (issue.keyword) {
    case 'invalid_type':
      return [/received undefined/.test(issue.message ?? '')
        ? { path, key: 'required' }
        : { path, key: 'invalidType', params: { expected: p.expected } }];
    case 'too_small':
      return [{ path, key: p.origin === 'string' ? 'tooShort' : 'tooSmall', params: { minimum: p.minimum } }];
    case 'too_big':
      return [{ path, key: p.origin === 'string' ? 'tooLong' : 'tooBig', params: { maximum: p.maximum } }];
    case 'invalid_format':
      return [{ path, key: p.format === 'email' ? 'invalidEmail' : 'invalidFormat' }];
    case 'unrecognized_keys':
      return (p.keys as string[]).map((k) => ({ path: [path, k].filter(Boolean).join('.'), key: 'unknownField', params: { field: k } }));
    case 'custom': {
      // A refinement names its message key and may carry the message's placeholders beside it.
      const { key, ...params } = (p.params ?? {}) as { key?: string } & Record<string, unknown>;
      return [{ path, key: key ?? 'invalidValue', ...(Object.keys(params).length ? { params } : {}) }];
    }
    default:
      return [{ path, key: 'invalidValue' }];
  }
}

export function sendError(req: FastifyRequest, reply: FastifyReply, code: ErrorCode, status: number, params: Record<string, unknown> = {}, fields: FieldProblem[] = []) {
  const lang = requestLanguage(req);
  const body: { error: { code: string; message: string; fields?: { path: string; message: string }[]; requestId?: string } } = {
    error: {
      code,
      message: translate(lang, `errors:code.${code}`, { ...params, requestId: req.id }),
    },
  };
  if (fields.length) {
    body.error.fields = fields.map((f) => ({ path: f.path, message: translate(lang, `errors:field.${f.key}`, f.params) }));
  }
  if (status >= 500) body.error.requestId = String(req.id);
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * Busboy (under @fastify/multipart) reports a missing or broken boundary and a truncated body as plain errors
 * without a status; on a multipart request they are the client's malformed form, not our failure.
 */
const MULTIPART_ERRORS = /Unexpected end of (form|multipart data)|Malformed (part )?header|Boundary not found|Multipart: |Missing boundary|Malformed urlencoded form|Part terminated early/i;
function isMalformedMultipart(req: FastifyRequest, err: FastifyError): boolean {
  const contentType = String(req.headers['content-type'] ?? '');
  if (!/^multipart\//i.test(contentType)) return false;
  if (err.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return true;
  return !err.statusCode && MULTIPART_ERRORS.test(err.message ?? '');
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err.code === 'RATE_LIMITED' && err.params.seconds) reply.header('retry-after', String(err.params.seconds));
      return sendError(req, reply, err.code, err.status, err.params, err.fields);
    }
    // An amount or sum beyond the safe range, read from the database or computed: this request fails clearly.
    if (err instanceof UnsafeAmountError) {
      req.log.warn({ err: { message: err.message } }, 'amount out of the safe integer range');
      return sendError(req, reply, 'AMOUNT_OUT_OF_RANGE', 422);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as any).validationContext as string | undefined;
      // Body fields are named as they are; query and path parameters keep their place in the name.
      const prefix = where && where !== 'body' ? where.replace('querystring', 'query') : '';
      const fields = (err.validation as unknown as ZodLikeIssue[]).flatMap((i) => issueToProblems(i, prefix));
      return sendError(req, reply, 'VALIDATION_FAILED', 400, {}, fields);
    }
    // PostgreSQL refuses text it cannot store (a NUL byte that slipped past the input guard): the caller's input.
    if ((err as { code?: string }).code === '22021' || (err as { code?: string }).code === '22P05') {
      return sendError(req, reply, 'VALIDATION_FAILED', 400, {}, [{ path: 'body', key: 'invalidText' }]);
    }
    if (isMalformedMultipart(req, err)) {
      req.log.info({ err: { code: err.code, message: err.message } }, 'malformed multipart');
      return sendError(req, reply, 'MALFORMED_MULTIPART', 400);
    }
    const status = err.statusCode ?? 500;
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (status === 400 && err instanceof SyntaxError)) {
      return sendError(req, reply, 'MALFORMED_JSON', 400);
    }
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendError(req, reply, 'MALFORMED_JSON', 400);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return sendError(req, reply, 'PAYLOAD_TOO_LARGE', 413);
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) return sendError(req, reply, 'UNSUPPORTED_MEDIA_TYPE', 415);
    if (status === 429) return sendError(req, reply, 'RATE_LIMITED', 429, { seconds: Number(reply.getHeader('retry-after') ?? 60) });
    if (status >= 400 && status < 500) {
      req.log.info({ err: { code: err.code, message: err.message } }, 'client error');
      return sendError(req, reply, 'VALIDATION_FAILED', 400);
    }
    // 5xx: log everything, tell the client nothing but a code and the request id.
    req.log.error({ err }, 'unhandled error');
    return sendError(req, reply, 'INTERNAL', 500);
  });
}
