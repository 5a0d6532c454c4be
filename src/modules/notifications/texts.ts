import { formatDateTime } from '../../platform/calendar.js';
import type { TFunction } from '../../platform/i18n.js';
import { NOTIFICATION_TYPES } from './notify.js';

// One notification as a line of text, the same in the in-app list and in the
// mail. The texts are i18n per type; params carry the titles and names (so a
// notice keeps making sense after the assignment is renamed or gone).

const KNOWN: ReadonlySet<string> = new Set(NOTIFICATION_TYPES);

export function notificationText(t: TFunction, type: string, params: unknown): string {
  const values: Record<string, string | number> = {
    // What a notice says when a param it names was not given.
    assignment: t('notifications.someAssignment'),
    sender: t('notifications.someone'),
    organisation: t('notifications.someOrganisation'),
  };
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
      if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') values[key] = value;
    }
  }
  return t(KNOWN.has(type) ? `notifications.types.${type}` : 'notifications.types.unknown', values);
}

/** Date and time of day in Swedish time, e.g. "26 november 2026 kl. 14:05". */
export function dateTimeFormatter(lang: string): (value: Date) => string {
  return (value) => formatDateTime(value, lang);
}
