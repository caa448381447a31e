import { Autocomplete, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState, type ReactNode } from 'react';

/** Keeps typing local and fast; tells the page the value only after a pause (one request per pause, not per key). */
function useDebouncedField(value: string, onChange: (v: string) => void, ms = 300) {
  const [local, setLocal] = useState(value);
  const [debounced] = useDebouncedValue(local, ms);
  const last = useRef(value);
  useEffect(() => {
    if (debounced !== last.current) {
      last.current = debounced;
      onChange(debounced);
    }
  }, [debounced, onChange]);
  // A change from outside (a "clear filters" button, back navigation) replaces what was typed.
  useEffect(() => {
    if (value !== last.current) {
      last.current = value;
      setLocal(value);
    }
  }, [value]);
  return [local, setLocal] as const;
}

type Props = { value: string; onChange: (v: string) => void; label?: string; placeholder?: string; leftSection?: ReactNode; w?: number | string; 'data-testid'?: string; 'aria-label'?: string };

export function DebouncedTextInput({ value, onChange, ...props }: Props) {
  const [local, setLocal] = useDebouncedField(value, onChange);
  return <TextInput {...props} value={local} onChange={(e) => setLocal(e.currentTarget.value)} />;
}

export function DebouncedAutocomplete({ value, onChange, data, ...props }: Props & { data: string[] }) {
  const [local, setLocal] = useDebouncedField(value, onChange);
  return <Autocomplete {...props} data={data} value={local} onChange={setLocal} />;
}
