import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../../common/languages';
import { api } from '../api/client';
import { rememberLanguage } from '../i18n';

/** Switches the interface language now; for a logged-in user it is also saved as their setting. */
export function LanguageSwitcher({ loggedIn = false }: { loggedIn?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Select
      aria-label={t('shell.languageSwitcher')}
      data-testid="language-switcher"
      size="xs"
      w={170}
      allowDeselect={false}
      value={i18n.language}
      data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
      onChange={(v) => {
        if (!v) return;
        rememberLanguage(v as Language);
        if (loggedIn) void api('PATCH', '/api/v1/me', { language: v }).catch(() => undefined);
      }}
    />
  );
}
