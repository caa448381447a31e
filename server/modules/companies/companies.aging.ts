import { DEFAULT_AGING_BUCKETS, validateCompanyBuckets, type AgingBucket, type BucketProblem } from '../../domain/aging';
import { AppError, type FieldProblem } from '../../http/errors';

/** The buckets every report of the company uses: its own, else the shipped defaults. */
export function effectiveAgingBuckets(c: { agingBuckets: readonly AgingBucket[] | null }): AgingBucket[] {
  return (c.agingBuckets ?? DEFAULT_AGING_BUCKETS).map(({ key, fromDays, toDays }) => ({ key, fromDays, toDays }));
}

const sameBuckets = (a: readonly AgingBucket[], b: readonly AgingBucket[]) =>
  a.length === b.length && a.every((x, i) => x.key === b[i].key && x.fromDays === b[i].fromDays && x.toDays === b[i].toDays);

/**
 * The field a bucket problem is about, so that the settings form can put the message beside the right input:
 * `agingBuckets.<index>.<key|fromDays|toDays>` (index from 0, as in the request body), or `agingBuckets` itself.
 */
function toFieldProblem(p: BucketProblem, buckets: readonly AgingBucket[]): FieldProblem {
  const at = (field?: 'key' | 'fromDays' | 'toDays') => ['agingBuckets', p.index, field].filter((x) => x !== undefined).join('.');
  const b = p.index !== undefined ? buckets[p.index] : undefined;
  switch (p.code) {
    case 'EMPTY': return { path: 'agingBuckets', key: 'required' };
    case 'TOO_MANY': return { path: 'agingBuckets', key: 'bucketsTooMany', params: p.params };
    case 'NO_DUE_DATE_BOUNDARY': return { path: 'agingBuckets', key: 'bucketNoDueDateBoundary' };
    case 'KEY_MISSING': return { path: at('key'), key: 'required' };
    case 'KEY_DUPLICATE': return { path: at('key'), key: 'duplicate' };
    case 'KEY_FORMAT': return { path: at('key'), key: 'bucketKeyFormat' };
    case 'KEY_RESERVED': return { path: at('key'), key: 'bucketKeyReserved', params: p.params };
    case 'KEY_MISMATCH': return { path: at('key'), key: 'bucketKeyMismatch', params: p.params };
    case 'OPEN_START_MISSING': return { path: at('fromDays'), key: 'bucketOpenStart' };
    case 'OPEN_END_MISSING': return { path: at('toDays'), key: 'bucketOpenEnd' };
    case 'UNBOUNDED_INSIDE': return { path: at(b && b.fromDays === null && p.index !== 0 ? 'fromDays' : 'toDays'), key: 'bucketUnboundedInside' };
    case 'EMPTY_RANGE': return { path: at('toDays'), key: 'bucketEmptyRange', params: { from: b?.fromDays ?? '' } };
    case 'GAP_OR_OVERLAP': {
      const previous = p.index ? buckets[p.index - 1] : undefined;
      return { path: at('fromDays'), key: 'bucketGap', params: { expected: (previous?.toDays ?? 0) + 1 } };
    }
    case 'OUT_OF_RANGE': return { path: at(), key: 'bucketOutOfRange', params: p.params };
    case 'NOT_INTEGER': return { path: at(), key: 'invalidValue' };
  }
}

/**
 * Validates buckets sent to PATCH /company (one 400 listing every problem, each on its field) and returns what to
 * store: null when they are the defaults, so that the company keeps following the shipped defaults.
 */
export function checkAgingBuckets(buckets: readonly AgingBucket[] | null): AgingBucket[] | null {
  if (buckets === null) return null;
  const problems = validateCompanyBuckets(buckets);
  if (problems.length) {
    const fields = problems.map((p) => toFieldProblem(p, buckets));
    // One message per field: a gap after a wrong bound would otherwise be reported twice on the same input.
    const unique = fields.filter((f, i) => fields.findIndex((g) => g.path === f.path) === i);
    throw new AppError('VALIDATION_FAILED', {}, unique);
  }
  const clean = buckets.map(({ key, fromDays, toDays }) => ({ key: key.trim(), fromDays, toDays }));
  return sameBuckets(clean, DEFAULT_AGING_BUCKETS) ? null : clean;
}
