import type { ReactNode } from 'react';
import type { useApiForm } from './useApiForm';

/**
 * A form whose submit runs through useApiForm: no browser validation (the server's translated messages name the
 * fields), the default submit prevented, errors and the busy state kept by `form`.
 */
export function ApiForm({ form, testId, submit, children }: { form: ReturnType<typeof useApiForm>; testId: string; submit: () => Promise<void>; children: ReactNode }) {
  return (
    <form
      noValidate
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        void form.run(submit);
      }}
    >
      {children}
    </form>
  );
}
