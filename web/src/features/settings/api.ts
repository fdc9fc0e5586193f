// The shop's settings (GET /api/settings for everyone, PUT for administrators): what the
// receipt prints, the PIX key, the employees' discount limit, the cash rule and the printer.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import { withOfflineCopy } from '../../api/offlineCopy';
import type { Settings, SettingsChanges } from '../../api/types';

export const getSettings = () => request<Settings>('/api/settings');
export const saveSettings = (changes: SettingsChanges) => request<Settings>('/api/settings', { method: 'PUT', body: changes });

export const settingsKeys = { all: rootKeys.settings };

/** Kept on the terminal too: the PDV sells offline with the settings last seen (the discount limit,
 * the cash rule, the receipt's header). */
export const settingsQuery = queryOptions({ queryKey: settingsKeys.all, queryFn: withOfflineCopy('configuracoes', getSettings), staleTime: 60_000 });

/** The settings, or undefined while they load (or when they cannot be read: defaults apply). */
export function useSettings(): Settings | undefined {
  return useQuery(settingsQuery).data;
}

/** Whether a network thermal printer is configured. */
export const hasPrinter = (s: Settings | undefined): boolean => !!s?.printer_address?.trim();

/** New settings change what the receipts show and the QR codes (their PIX key). */
export const SETTINGS_STALES = [rootKeys.settings, rootKeys.pix] as const;

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: saveSettings, onSuccess: () => void invalidate(qc, SETTINGS_STALES) });
}
