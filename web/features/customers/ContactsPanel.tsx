import { Alert, Badge, Button, Checkbox, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormActions } from '../../components/FormActions';
import { LANGUAGES, LANGUAGE_NAMES } from '../../../common/languages';
import { api } from '../../api/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useApiForm } from '../../components/useApiForm';
import type { Contact } from './customer';
import { ApiForm } from '../../components/ApiForm';

const ROLES = ['billing', 'dunning', 'legal'] as const;
const TEXT = ['title', 'firstName', 'lastName', 'email', 'phone', 'fax', 'position'] as const;
type Form = Record<(typeof TEXT)[number], string> & { roles: string[]; language: string | null; isDunningContact: boolean };
const toForm = (c: Contact | null): Form => ({
  ...Object.fromEntries(TEXT.map((k) => [k, c?.[k] ?? ''])) as Record<(typeof TEXT)[number], string>,
  roles: c?.roles ?? [], language: c?.language ?? null, isDunningContact: c?.isDunningContact ?? false,
});

/** The people of a customer (GDPR personal data): who receives reminders, who is billed, who handles legal matters. */
export function ContactsPanel({ customerId, canWrite }: { customerId: string; canWrite: boolean }) {
  const { t } = useTranslation('ledger');
  const qc = useQueryClient();
  const key = ['contacts', customerId];
  const contacts = useQuery({ queryKey: key, queryFn: () => api<{ items: Contact[] }>('GET', `/api/v1/customers/${customerId}/contacts`) });
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const remove = useApiForm();
  const rows = contacts.data?.items ?? [];

  return (
    <Stack>
      {remove.error && <Alert color="red">{remove.error}</Alert>}
      {canWrite && <Group><Button size="sm" variant="light" onClick={() => setEditing('new')} data-testid="add-contact">{t('contacts.add')}</Button></Group>}
      {rows.length === 0 && contacts.isSuccess ? (
        <Text c="dimmed" size="sm">{t('contacts.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table striped data-testid="contacts-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('contacts.name')}</Table.Th><Table.Th>{t('contacts.position')}</Table.Th><Table.Th>{t('contacts.email')}</Table.Th>
                <Table.Th>{t('contacts.phone')}</Table.Th><Table.Th>{t('contacts.roles')}</Table.Th><Table.Th>{t('contacts.language')}</Table.Th>{canWrite && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" fw={500}>{[c.title, c.firstName, c.lastName].filter(Boolean).join(' ') || '—'}</Text>
                      {c.isDunningContact && <Badge size="sm" color="orange">{t('contacts.dunningContact')}</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td>{c.position}</Table.Td>
                  <Table.Td>{c.email}</Table.Td>
                  <Table.Td>{c.phone}</Table.Td>
                  <Table.Td><Group gap={4}>{c.roles.map((r) => <Badge key={r} size="sm" variant="outline">{t(`contactRole.${r}`)}</Badge>)}</Group></Table.Td>
                  <Table.Td>{c.language ? LANGUAGE_NAMES[c.language as keyof typeof LANGUAGE_NAMES] ?? c.language : ''}</Table.Td>
                  {canWrite && (
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Button size="xs" variant="subtle" onClick={() => setEditing(c)}>{t('actions.edit')}</Button>
                      <ConfirmButton question={t('contacts.confirmDelete')} onConfirm={() => remove.run(async () => { await api('DELETE', `/api/v1/customers/${customerId}/contacts/${c.id}`); await qc.invalidateQueries({ queryKey: key }); })}>
                        {t('app:common.delete')}
                      </ConfirmButton>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ContactModal customerId={customerId} contact={editing} onClose={() => setEditing(null)} onSaved={() => qc.invalidateQueries({ queryKey: key })} />
    </Stack>
  );
}

function ContactModal({ customerId, contact, onClose, onSaved }: { customerId: string; contact: Contact | 'new' | null; onClose: () => void; onSaved: () => Promise<void> }) {
  const { t } = useTranslation('ledger');
  const form = useApiForm();
  const existing = contact && contact !== 'new' ? contact : null;
  const [v, setV] = useState<Form>(toForm(existing));
  useEffect(() => setV(toForm(contact && contact !== 'new' ? contact : null)), [contact]);
  const set = (patch: Partial<Form>) => setV((prev) => ({ ...prev, ...patch }));
  return (
    <Modal opened={contact !== null} onClose={onClose} title={existing ? t('contacts.edit') : t('contacts.add')} size="lg">
      <ApiForm
        form={form}
        testId="contact-form"
        submit={async () => {
          const body = { ...Object.fromEntries(TEXT.map((k) => [k, v[k].trim() || null])), roles: v.roles, language: v.language, isDunningContact: v.isDunningContact };
          if (existing) await api('PATCH', `/api/v1/customers/${customerId}/contacts/${existing.id}`, body);
          else await api('POST', `/api/v1/customers/${customerId}/contacts`, body);
          await onSaved();
          onClose();
        }}
      >
        <Stack>
          {form.error && <Alert color="red" role="alert">{form.error}</Alert>}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {TEXT.map((k) => (
              <TextInput key={k} name={k} type={k === 'email' ? 'email' : 'text'} label={t(`contacts.${k}`)} value={v[k]} onChange={(e) => set({ [k]: e.currentTarget.value })} error={form.fields[k]} />
            ))}
            <Select label={t('contacts.language')} clearable data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))} value={v.language} onChange={(x) => set({ language: x })} error={form.fields.language} />
          </SimpleGrid>
          <MultiSelect label={t('contacts.roles')} data={ROLES.map((r) => ({ value: r, label: t(`contactRole.${r}`) }))} value={v.roles} onChange={(roles) => set({ roles })} error={form.fields.roles} />
          <Checkbox label={t('contacts.isDunningContact')} checked={v.isDunningContact} onChange={(e) => set({ isDunningContact: e.currentTarget.checked })} />
          <FormActions onCancel={onClose} busy={form.busy} />
        </Stack>
      </ApiForm>
    </Modal>
  );
}
