import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../deps';
import { tenantCtx } from '../../http/auth';
import { idParam, roleField } from '../../http/fields';
import { createApiKey, listCompanyApiKeys, revokeCompanyApiKey } from './api-keys.service';

export function registerApiKeyRoutes(root: FastifyInstance, deps: Deps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['api-keys'];
  app.get('/api/v1/api-keys', { config: { permission: 'apikeys:manage' }, schema: { tags, summary: "The company's API keys (never their secrets)" } }, async (req) => ({
    items: await listCompanyApiKeys(deps, tenantCtx(req).tenantId),
  }));
  app.post('/api/v1/api-keys', { config: { permission: 'apikeys:manage' }, schema: { tags, summary: 'Create an API key; the secret is shown only in this answer', body: z.strictObject({ name: z.string().trim().min(1).max(100), role: roleField }) } }, async (req, reply) =>
    reply.code(201).send(await createApiKey(deps, tenantCtx(req), req.body)),
  );
  app.delete('/api/v1/api-keys/:id', { config: { permission: 'apikeys:manage' }, schema: { tags, summary: 'Revoke an API key', params: idParam } }, async (req, reply) => {
    await revokeCompanyApiKey(deps, tenantCtx(req), req.params.id);
    return reply.code(204).send();
  });
}
