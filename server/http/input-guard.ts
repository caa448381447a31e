import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type FieldProblem } from './errors';

/**
 * Text that cannot be stored faithfully is refused where it enters, naming the field (issue 10):
 * - a NUL byte: PostgreSQL's text types cannot hold U+0000 and answered 500 on 31 routes;
 * - a lone UTF-16 surrogate ("\ud800" in JSON): the pg driver encodes it as U+FFFD, silently changing the value;
 * - a JSON body that is not UTF-8: Fastify decoded it with replacement characters and stored them.
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && value.isWellFormed();
}

const MAX_DEPTH = 32;

/** Paths of the strings (keys too) in `value` that are not storable text, dotted like the error handler's fields. */
export function unstorableTextPaths(value: unknown, prefix = ''): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (found.length >= 20) return;
    if (typeof v === 'string') {
      if (!isStorableText(v)) found.push(path);
      return;
    }
    if (depth > MAX_DEPTH || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, path ? `${path}.${i}` : String(i), depth + 1));
      return;
    }
    for (const [k, item] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (!isStorableText(k)) found.push(p);
      else walk(item, p, depth + 1);
    }
  };
  walk(value, prefix, 0);
  return found;
}

export function assertStorableText(value: unknown, prefix = ''): void {
  const paths = unstorableTextPaths(value, prefix);
  if (paths.length) throw new AppError('VALIDATION_FAILED', {}, paths.map((path): FieldProblem => ({ path: path || 'body', key: 'invalidText' })));
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function registerInputGuards(app: FastifyInstance) {
  // Fastify's own JSON parser (prototype-poisoning checks included), fed only bytes that are valid UTF-8.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(new AppError('VALIDATION_FAILED', {}, [{ path: 'body', key: 'invalidText' }]), undefined);
      return;
    }
    parseJson(req, text, done);
  });

  // Query strings and path parameters: "%00" decodes to a NUL byte before any route sees it.
  app.addHook('preValidation', async (req: FastifyRequest) => {
    const paths = [
      ...unstorableTextPaths(req.query, 'query'),
      ...unstorableTextPaths(req.params, 'params'),
      ...(req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? unstorableTextPaths(req.body) : []),
    ];
    if (paths.length) throw new AppError('VALIDATION_FAILED', {}, paths.map((path) => ({ path: path || 'body', key: 'invalidText' })));
  });
}
