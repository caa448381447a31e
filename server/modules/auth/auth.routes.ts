import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps';
import { userCtx } from '../../http/auth';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../http/context';
import { requestLanguage } from '../../http/error-handler';
import { notFound } from '../../http/errors';
import { currencyField, emailField, idParam, languageField, passwordField, timeZoneField } from '../../http/fields';
import { updateUser } from '../users/users.repository';
import { acceptInvitation, describeInvitation } from '../users/users.service';
import {
  changePassword,
  confirmPasswordReset,
  createSession,
  describeSession,
  login,
  loginHistory,
  requestPasswordReset,
  switchCompany,
} from './auth.service';
import { listActiveSessions, revokeSession } from './sessions.repository';
import { requestSignup, verifySignup } from './signup.service';

const signupBody = z.strictObject({
  companyName: z.string().trim().min(1).max(200),
  email: emailField,
  password: passwordField,
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
  language: languageField.optional(),
  timeZone: timeZoneField.optional(),
  baseCurrency: currencyField.optional(),
});
const loginBody = z.strictObject({ email: emailField, password: passwordField, tenantId: z.string().max(100).optional() });
const resetRequestBody = z.strictObject({ email: emailField });
const resetConfirmBody = z.strictObject({ token: z.string().min(1).max(200), password: passwordField });
const acceptBody = z.strictObject({
  token: z.string().min(1).max(200),
  password: passwordField,
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
  language: languageField.optional(),
});
const meBody = z.strictObject({
  firstName: z.string().trim().max(100).nullable().optional(),
  lastName: z.string().trim().max(100).nullable().optional(),
  language: languageField.nullable().optional(),
});
const passwordBody = z.strictObject({ currentPassword: passwordField, newPassword: passwordField });

const authRateLimit = { rateLimit: { max: 30, timeWindow: '1 minute' } };

function clientInfo(req: FastifyRequest) {
  return { ip: req.ip, userAgent: (req.headers['user-agent'] as string | undefined) ?? null };
}

function setSessionCookie(deps: Deps, reply: FastifyReply, token: string) {
  const secure = !!deps.config.tls || deps.config.publicUrl.startsWith('https://');
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: deps.config.sessionAbsoluteHours * 3600,
  });
}

export function registerAuthRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  app.post('/api/v1/auth/signup', { config: { auth: 'public', ...authRateLimit }, schema: { tags, summary: 'Sign up a company and its owner: emails a verification link (202, the same answer for a known email)', body: signupBody } }, async (req, reply) => {
    const b = req.body;
    await requestSignup(deps, {
      companyName: b.companyName,
      email: b.email,
      password: b.password,
      firstName: b.firstName,
      lastName: b.lastName,
      language: b.language ?? requestLanguage(req),
      timeZone: b.timeZone ?? 'Europe/Paris',
      baseCurrency: b.baseCurrency ?? 'EUR',
    });
    return reply.code(202).send({ accepted: true });
  });

  app.post('/api/v1/auth/verify-email', { config: { auth: 'public', ...authRateLimit }, schema: { tags, summary: 'Follow the sign-up link: creates the company and its owner, and logs in', body: z.strictObject({ token: z.string().min(1).max(200) }) } }, async (req, reply) => {
    const { userId, tenantId } = await verifySignup(deps, req.body.token);
    const { token, session } = await createSession(deps, userId, tenantId, clientInfo(req));
    setSessionCookie(deps, reply, token);
    const user = await deps.db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow();
    const ctx = { actor: { type: 'user' as const, userId, sessionId: session.id, email: user.email }, tenantId, role: 'owner' as const, csrfToken: session.csrfToken, ip: req.ip };
    return reply.code(201).send(await describeSession(deps, ctx));
  });

  app.post('/api/v1/auth/login', { config: { auth: 'public', ...authRateLimit }, schema: { tags, summary: 'Log in with email and password', body: loginBody } }, async (req, reply) => {
    const { token, session } = await login(deps, req.body, clientInfo(req));
    setSessionCookie(deps, reply, token);
    const member = session.tenantId
      ? await deps.db.selectFrom('memberships').select('role').where('tenant_id', '=', session.tenantId).where('user_id', '=', session.userId).executeTakeFirst()
      : undefined;
    const ctx = { actor: { type: 'user' as const, userId: session.userId, sessionId: session.id, email: req.body.email }, tenantId: session.tenantId, role: (member?.role ?? null) as any, csrfToken: session.csrfToken, ip: req.ip };
    return describeSession(deps, ctx);
  });

  app.post('/api/v1/auth/logout', { config: { auth: 'session' }, schema: { tags, summary: 'Log out (ends this session)' } }, async (req, reply) => {
    const ctx = userCtx(req);
    await revokeSession(deps.db, ctx.actor.userId, ctx.actor.sessionId, deps.clock.now().toISOString());
    reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/v1/auth/session', { config: { auth: 'session' }, schema: { tags, summary: 'The current user, company, role, companies and CSRF token' } }, async (req) =>
    describeSession(deps, userCtx(req)),
  );

  app.post('/api/v1/auth/switch-company', { config: { auth: 'session' }, schema: { tags, summary: 'Switch the session to another company', body: z.strictObject({ tenantId: z.string().min(1).max(100) }) } }, async (req) =>
    describeSession(deps, await switchCompany(deps, userCtx(req), req.body.tenantId)),
  );

  app.post('/api/v1/auth/password-reset/request', { config: { auth: 'public', ...authRateLimit }, schema: { tags, summary: 'Email a single-use password reset link', body: resetRequestBody } }, async (req, reply) => {
    await requestPasswordReset(deps, req.body.email, requestLanguage(req));
    return reply.code(202).send({ accepted: true });
  });

  app.post('/api/v1/auth/password-reset/confirm', { config: { auth: 'public', ...authRateLimit }, schema: { tags, summary: 'Set a new password with a reset link', body: resetConfirmBody } }, async (req, reply) => {
    await confirmPasswordReset(deps, req.body.token, req.body.password);
    return reply.code(204).send();
  });

  app.get('/api/v1/auth/invitations/:token', { config: { auth: 'public', ...authRateLimit }, schema: { tags, summary: 'Describe an invitation', params: z.strictObject({ token: z.string().min(1).max(200) }) } }, async (req) =>
    describeInvitation(deps, req.params.token),
  );

  app.post('/api/v1/auth/invitations/accept', { config: { auth: 'public', ...authRateLimit }, schema: { tags, summary: 'Accept an invitation and log in', body: acceptBody } }, async (req, reply) => {
    const { userId, tenantId } = await acceptInvitation(deps, req.body);
    const { token, session } = await createSession(deps, userId, tenantId, clientInfo(req));
    setSessionCookie(deps, reply, token);
    const member = await deps.db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select(['role', 'email']).where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirstOrThrow();
    return describeSession(deps, { actor: { type: 'user', userId, sessionId: session.id, email: member.email }, tenantId, role: member.role as any, csrfToken: session.csrfToken, ip: req.ip });
  });

  app.patch('/api/v1/me', { config: { auth: 'session' }, schema: { tags: ['me'], summary: 'Change my name or language', body: meBody } }, async (req) => {
    const ctx = userCtx(req);
    await updateUser(deps.db, ctx.actor.userId, req.body, deps.clock.now().toISOString());
    return describeSession(deps, ctx);
  });

  app.post('/api/v1/me/password', { config: { auth: 'session', ...authRateLimit }, schema: { tags: ['me'], summary: 'Change my password (ends my other sessions)', body: passwordBody } }, async (req, reply) => {
    await changePassword(deps, userCtx(req), req.body.currentPassword, req.body.newPassword, clientInfo(req));
    return reply.code(204).send();
  });

  app.get('/api/v1/me/sessions', { config: { auth: 'session' }, schema: { tags: ['me'], summary: 'My active sessions' } }, async (req) => {
    const ctx = userCtx(req);
    const sessions = await listActiveSessions(deps.db, ctx.actor.userId, deps.clock.now().toISOString());
    return {
      items: sessions.map((s) => ({ id: s.id, ip: s.ip, userAgent: s.userAgent, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt, isCurrent: s.id === ctx.actor.sessionId })),
    };
  });

  app.delete('/api/v1/me/sessions/:id', { config: { auth: 'session' }, schema: { tags: ['me'], summary: 'Revoke one of my sessions', params: idParam } }, async (req, reply) => {
    const ctx = userCtx(req);
    if (!(await revokeSession(deps.db, ctx.actor.userId, req.params.id, deps.clock.now().toISOString()))) throw notFound();
    return reply.code(204).send();
  });

  app.get('/api/v1/me/login-history', { config: { auth: 'session' }, schema: { tags: ['me'], summary: 'My login attempts: time, IP address, browser' } }, async (req) => ({
    items: await loginHistory(deps, userCtx(req).actor.userId),
  }));
}
