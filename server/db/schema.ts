/**
 * Table types for Kysely, one interface per table, snake_case as in SQL. Rows are mapped to camelCase domain objects
 * by one rowToX() function in each repository.
 */
export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  legal_id: string | null;
  vat_id: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  time_zone: string;
  default_language: string;
  base_currency: string;
  payment_terms_days: number;
  /** JSON array of { key, fromDays, toDays }; null = the default aging buckets (migration 021). */
  aging_buckets_json: string | null;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string | null;
  first_name: string | null;
  last_name: string | null;
  language: string | null;
  is_active: number;
  created_at: string;
  updated_at: string;
  /** When the address was proven by a link sent to it; null = never (migration 2026-12-07-030). */
  email_verified_at: string | null;
}

export interface MembershipsTable {
  tenant_id: string;
  user_id: string;
  role: string;
  is_active: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  tenant_id: string | null;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface LoginAttemptsTable {
  id: string;
  email: string;
  user_id: string | null;
  is_success: number;
  reason: string | null;
  ip: string | null;
  user_agent: string | null;
  at: string;
}

export interface InvitationsTable {
  id: string;
  tenant_id: string;
  email: string;
  role: string;
  token_hash: string;
  invited_by_user_id: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  role: string;
  key_hash: string;
  prefix: string;
  created_by_user_id: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: string;
  tenant_id: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  at: string;
}

export interface OutboxTable {
  id: string;
  tenant_id: string | null;
  to_address: string;
  subject: string;
  body_text: string;
  kind: string;
  status: string;
  error: string | null;
  created_at: string;
  sent_at: string | null;
  /** The role an invitation email grants: only members who may grant it see the email. */
  grants_role: string | null;
}

/** A sign-up waiting for its emailed link (the account is created when it comes back). */
export interface EmailVerificationsTable {
  id: string;
  token_hash: string;
  email: string;
  /** Company name, names, language, time zone, currency and the argon2 hash of the chosen password. */
  payload_json: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Failed logins counted per key (`pair:<email> <ip>` or `ip:<ip>`) in a window starting at `window_start`. */
export interface LoginThrottlesTable {
  key: string;
  failures: number;
  window_start: string;
}

export interface CustomersTable {
  id: string;
  tenant_id: string;
  code: string;
  name: string;
  legal_id: string | null;
  vat_id: string | null;
  debtor_type: string;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  language: string | null;
  currency: string | null;
  payment_terms_days: number | null;
  payment_terms_end_of_month: number;
  credit_limit_minor: number | null;
  collector_user_id: string | null;
  segment: string | null;
  tags_json: string;
  parent_customer_id: string | null;
  custom_fields_json: string;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface ContactsTable {
  id: string;
  tenant_id: string;
  customer_id: string;
  title: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  fax: string | null;
  position: string | null;
  roles_json: string;
  language: string | null;
  is_dunning_contact: number;
  created_at: string;
  updated_at: string;
}

export interface DocumentsTable {
  id: string;
  tenant_id: string;
  customer_id: string;
  source: string;
  type: string;
  number: string | null;
  identity_key: string;
  issued_on: string;
  due_on: string | null;
  is_due_on_derived: number;
  currency: string;
  amount_minor: number;
  open_minor: number;
  status: string;
  reference: string | null;
  pdf_url: string | null;
  pdf_file: string | null;
  import_id: string | null;
  /** 1…instalment_count for an invoice line of an instalment schedule; null (both) for a single due date. */
  instalment_no?: number | null;
  instalment_count?: number | null;
  created_at: string;
  updated_at: string;
}

/** Sales and net amounts per company, currency and issue day, kept by triggers on documents (migration 023). */
export interface DocumentDayFlowsTable {
  tenant_id: string;
  currency: string;
  issued_on: string;
  sales_minor: number;
  net_minor: number;
}

/** Open amounts per company, currency and due date (issue date without one), kept by triggers (migration 026). */
export interface DocumentOpenSumsTable {
  tenant_id: string;
  currency: string;
  due_on: string;
  items_minor: number;
  credits_minor: number;
}

/** Absolute amounts of a company's documents per currency, kept by triggers (migration 027): bounds every sum. */
export interface DocumentAmountTotalsTable {
  tenant_id: string;
  currency: string;
  abs_minor: number;
}

export interface AllocationsTable {
  id: string;
  tenant_id: string;
  from_document_id: string;
  to_document_id: string;
  amount_minor: number;
  allocated_on: string;
  reversal_of_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface ExchangeRatesTable {
  tenant_id: string;
  rate_on: string;
  base_currency: string;
  quote_currency: string;
  rate: string;
}

export interface CustomerBalancesTable {
  tenant_id: string;
  customer_id: string;
  currency: string;
  open_invoices_minor: number;
  unallocated_minor: number;
  open_count: number;
  oldest_open_due_on: string | null;
}

export interface ImportsTable {
  id: string;
  tenant_id: string;
  source: string;
  mode: string;
  file_name: string;
  file_path: string | null;
  file_sha256: string | null;
  file_bytes: number | null;
  options_json: string;
  is_dry_run: number;
  status: string;
  rows_total: number;
  rows_done: number;
  summary_json: string | null;
  error: string | null;
  created_by: string | null;
  created_by_label: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Until when the claiming process holds the job (renewed while it runs); expired = the process died. */
  lease_until: string | null;
  attempts: number;
}

export interface ImportMappingsTable {
  tenant_id: string;
  source: string;
  mapping_json: string;
  updated_at: string;
}

/** Moved by triggers on every write the reports read (migration 2026-12-07-029): the reports' cache key. */
export interface LedgerVersionsTable {
  tenant_id: string;
  version: number;
}

export interface DB {
  tenants: TenantsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  email_verifications: EmailVerificationsTable;
  login_throttles: LoginThrottlesTable;
  customers: CustomersTable;
  contacts: ContactsTable;
  documents: DocumentsTable;
  allocations: AllocationsTable;
  exchange_rates: ExchangeRatesTable;
  customer_balances: CustomerBalancesTable;
  document_day_flows: DocumentDayFlowsTable;
  document_open_sums: DocumentOpenSumsTable;
  ledger_versions: LedgerVersionsTable;
  document_amount_totals: DocumentAmountTotalsTable;
  imports: ImportsTable;
  import_mappings: ImportMappingsTable;
}
