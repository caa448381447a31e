import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';

/** A column header that sorts the list by its field; a second click reverses the order. */
export function SortableTh({ field, sort, order, onSort, children, align = 'left' }: {
  field: string; sort: string; order: 'asc' | 'desc'; onSort: (field: string, order: 'asc' | 'desc') => void; children: ReactNode; align?: 'left' | 'right';
}) {
  const active = sort === field;
  return (
    <Table.Th aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'} style={{ whiteSpace: 'nowrap' }}>
      <UnstyledButton onClick={() => onSort(field, active && order === 'asc' ? 'desc' : 'asc')} data-testid={`sort-${field}`} w="100%">
        <Group gap={4} justify={align === 'right' ? 'flex-end' : 'flex-start'} wrap="nowrap">
          <Text fw={700} size="sm">{children}</Text>
          <Text size="xs" c={active ? 'blue' : 'dimmed'} aria-hidden>{active ? (order === 'asc' ? '▲' : '▼') : '↕'}</Text>
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
