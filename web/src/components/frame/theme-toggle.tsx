'use client';
// Cycles system → light → dark. The inline theme script already applied the stored choice
// before paint; this button changes it and follows the system while on "system".
import { useEffect, useState } from 'react';
import { isDark, THEME_CHOICES, THEME_STORAGE_KEY, type ThemeChoice } from '../../lib/theme';
import { Icon } from '../common/icons';

const LABEL: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };
const ICON = { system: 'monitor', light: 'sun', dark: 'moon' } as const;

function apply(choice: ThemeChoice) {
  const systemDark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.classList.toggle('dark', isDark(choice, systemDark));
  document.documentElement.dataset.theme = choice;
}

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>('system');

  useEffect(() => {
    const stored = document.documentElement.dataset.theme;
    if (stored === 'light' || stored === 'dark' || stored === 'system') setChoice(stored);
  }, []);

  useEffect(() => {
    if (choice !== 'system') return undefined;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => apply('system');
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, [choice]);

  const next = THEME_CHOICES[(THEME_CHOICES.indexOf(choice) + 1) % THEME_CHOICES.length]!;
  return (
    <button
      type="button"
      onClick={() => {
        try {
          localStorage.setItem(THEME_STORAGE_KEY, next);
        } catch {
          // private mode: the choice lasts for this page only
        }
        apply(next);
        setChoice(next);
      }}
      aria-label={`${LABEL[choice]} (switch to ${LABEL[next].toLowerCase()})`}
      title={`${LABEL[choice]}: click for ${LABEL[next].toLowerCase()}`}
      className="rounded-md border border-line bg-panel p-1.5 hover:bg-raised"
    >
      <Icon name={ICON[choice]} />
    </button>
  );
}
