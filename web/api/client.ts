import i18next from 'i18next';

/** An API error as CONTRACTS.md shapes it; `fields` maps a field path to its translated message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

let csrfToken = '';
export function setCsrfToken(token: string) {
  csrfToken = token;
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': i18next.language };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  return readResponse<T>(res);
}

/** A multipart POST (file uploads): the browser sets the boundary; the order of the form's parts is kept. */
export async function apiUpload<T>(url: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': i18next.language };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  return readResponse<T>(await fetch(url, { method: 'POST', headers, credentials: 'same-origin', body: form }));
}

async function readResponse<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const json = await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = json?.error ?? {};
    const fields = Object.fromEntries((err.fields ?? []).map((f: { path: string; message: string }) => [f.path, f.message]));
    throw new ApiError(res.status, err.code ?? 'INTERNAL', err.message ?? res.statusText, fields);
  }
  if (json && typeof json.csrfToken === 'string') setCsrfToken(json.csrfToken);
  return json as T;
}

export type Company = { id: string; name: string; slug: string };
export type SessionInfo = {
  user: { id: string; email: string; firstName: string | null; lastName: string | null; language: string | null };
  company: Company | null;
  role: string | null;
  companies: (Company & { role: string })[];
  csrfToken: string;
};
