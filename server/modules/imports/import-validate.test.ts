import { describe, expect, it } from 'vitest';
import { resolveMapping } from './import-validate';

describe('the column mapping of an import', () => {
  const header = ['Code client', 'Type', 'N° pièce', 'Date pièce', 'Devise', 'Montant', 'Référence'];

  it('suggests columns from the headers', () => {
    expect(resolveMapping(header, undefined, undefined)).toMatchObject({ customerCode: 'Code client', amount: 'Montant', reference: 'Référence' });
  });

  it('an empty header chosen for a field means "not imported", even over a suggestion or a saved mapping', () => {
    const m = resolveMapping(header, { reference: 'Référence' }, { reference: '' });
    expect(m.reference).toBeUndefined();
    expect(m.customerCode).toBe('Code client');
  });
});
