import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps';
import { tenantCtx } from '../../http/auth';
import { emailField, idParam, languageField, roleField } from '../../http/fields';
import { changeMember, inviteUser, listInvitations, listMembers, resendInvitation, revokeInvitation } from './users.service';

const inviteBody = z.strictObject({ email: emailField, role: roleField, language: languageField.optional() });
const memberBody = z.strictObject({ role: roleField.optional(), isActive: z.boolean().optional() });

export function registerUserRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];
  app.get('/api/v1/users', { config: { permission: 'users:read' }, schema: { tags, summary: 'Members of the company' } }, async (req) => ({
    items: await listMembers(deps.db, tenantCtx(req).tenantId),
  }));
  app.patch('/api/v1/users/:id', { config: { permission: 'users:manage' }, schema: { tags, summary: "Change a member's role, or deactivate (ends their sessions at once)", params: idParam, body: memberBody } }, async (req) =>
    changeMember(deps, tenantCtx(req), req.params.id, req.body),
  );
  app.get('/api/v1/users/invitations', { config: { permission: 'users:manage' }, schema: { tags, summary: 'Pending invitations' } }, async (req) => ({
    items: await listInvitations(deps, tenantCtx(req)),
  }));
  app.post('/api/v1/users/invitations', { config: { permission: 'users:manage' }, schema: { tags, summary: 'Invite a user by email with a role', body: inviteBody } }, async (req, reply) =>
    reply.code(201).send(await inviteUser(deps, tenantCtx(req), req.body)),
  );
  app.post('/api/v1/users/invitations/:id/resend', { config: { permission: 'users:manage' }, schema: { tags, summary: 'Email a new link for a pending invitation (the previous link stops working)', params: idParam } }, async (req) =>
    resendInvitation(deps, tenantCtx(req), req.params.id),
  );
  app.delete('/api/v1/users/invitations/:id', { config: { permission: 'users:manage' }, schema: { tags, summary: 'Revoke a pending invitation', params: idParam } }, async (req, reply) => {
    await revokeInvitation(deps, tenantCtx(req), req.params.id);
    return reply.code(204).send();
  });
}
