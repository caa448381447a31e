import { afterAll, beforeAll, expect, it } from 'vitest';
import { HOSTILE_FILES, wrongTypesCsv } from '../../imports/fixtures/hostile';
import { createTestApp, describeEachEngine, importFile, signUpCompany, type Agent, type TestApp } from '../../test/test-app';

describeEachEngine('hostile import files through the HTTP API', (engine) => {
  let t: TestApp;
  let owner: Agent;
  beforeAll(async () => {
    t = await createTestApp(engine);
    owner = (await signUpCompany(t.app, 'Hostile Co')).agent;
  });
  afterAll(async () => t.close());

  it.each(HOSTILE_FILES)('$name ends failed with $code and a message for a person; the server still answers', async (file) => {
    const job = await importFile(t, owner, { name: file.name, content: Buffer.from(file.make()) }, { dryRun: true });
    expect(job.status).toBe('failed');
    expect(job.summary.fileError.code).toBe(file.code);
    expect(job.summary.fileError.message).not.toMatch(/fileErrors|\{\{/);
    expect(job.summary.fileError.message.length).toBeGreaterThan(20);
    expect(job.summary.rowsTotal).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('wrong types by content: each row refused naming row, column and value; dates outside 1900–2199 too', async () => {
    const job = await importFile(t, owner, { name: 'wrong.csv', content: Buffer.from(wrongTypesCsv()) }, { dryRun: true });
    expect(job.summary.rejected).toBe(4);
    expect(job.summary.errors.map((e: any) => [e.row, e.column, e.value])).toEqual([
      [1, 'amount', '2026-01-01'],
      [2, 'issuedOn', 'hello'],
      [3, 'issuedOn', '0001-01-01'],
      [4, 'issuedOn', '9999-12-31'],
    ]);
    expect(job.summary.errors[2].message).toBe('The date is outside the supported range (1900-01-01 to 2199-12-31).');
  });

  it('a 100,000-column header names its row and width in the user language', async () => {
    const wide = HOSTILE_FILES.find((f) => f.name === 'wide.csv')!;
    const job = await importFile(t, owner, { name: 'wide.csv', content: Buffer.from(wide.make()) }, { dryRun: true });
    expect(job.summary.fileError.message).toBe('Row 1 has 100000 columns; an import reads at most 500.');
  });
});
