import { Alert, List } from '@mantine/core';

/**
 * The server's translated message and, under it, the field messages no input on screen shows (an action on a row has
 * no field: "already reversed" arrives on `id`). Fields listed in `shown` are left to their inputs.
 */
export function ApiErrorAlert({ error, fields, shown = [] }: { error: string | null; fields: Record<string, string>; shown?: string[] }) {
  if (!error) return null;
  const rest = Object.entries(fields).filter(([path]) => !shown.some((s) => path === s || path.startsWith(`${s}.`)));
  return (
    <Alert color="red" role="alert">
      {error}
      {rest.length > 0 && <List size="sm" mt={4}>{rest.map(([path, message]) => <List.Item key={path}>{message}</List.Item>)}</List>}
    </Alert>
  );
}

/** The message for a field or for any of its parts (`tags.2`, `customFields.region`). */
export function fieldError(fields: Record<string, string>, name: string): string | undefined {
  return fields[name] ?? Object.entries(fields).find(([path]) => path.startsWith(`${name}.`))?.[1];
}
