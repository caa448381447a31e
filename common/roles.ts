/** Role ids of CONTRACTS.md and what each may do. The server checks these on every route; the web app only hides. */
export const ROLES = ['owner', 'admin', 'credit_manager', 'collector', 'dispute_resolver', 'sales', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'company:read',
  'company:update',
  'company:close',
  'users:read',
  'users:manage',
  'apikeys:manage',
  'audit:read',
  'ledger:read',
  'ledger:write',
  'imports:run',
  'exports:run',
  'reports:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const all = [...PERMISSIONS];
const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: all,
  admin: all.filter((p) => p !== 'company:close'),
  // Scenarios, all portfolios and reports: the ledger in full, imports and exports; no users or settings.
  credit_manager: ['company:read', 'users:read', 'ledger:read', 'ledger:write', 'imports:run', 'exports:run', 'reports:read'],
  // Own portfolio work (actions, promises, disputes arrive with later modules); reads the ledger and the reports.
  collector: ['company:read', 'users:read', 'ledger:read', 'reports:read'],
  dispute_resolver: ['company:read', 'ledger:read'],
  sales: ['company:read', 'ledger:read'],
  viewer: ['company:read', 'reports:read'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
