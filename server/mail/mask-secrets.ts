/**
 * The outbox as the API serves it carries no secret: a link's token (invitation, password reset, email verification)
 * is what lets its holder act, so anyone reading the outbox could accept an invitation meant for someone else.
 * Tokens travel as `token=` query parameters; any other long random-looking run (a token placed elsewhere) is
 * masked too.
 */
const TOKEN_PARAM = /([?&;]token=)[^\s&#"'<>]+/gi;
const RANDOM_RUN = /[A-Za-z0-9_-]{32,}/g;

export const MASK = '[hidden]';

export function maskSecrets(text: string): string {
  return text.replace(TOKEN_PARAM, `$1${MASK}`).replace(RANDOM_RUN, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? MASK : run));
}
