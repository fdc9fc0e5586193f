// The shop's settings (GET /api/settings for everyone, PUT for administrators): what the
// receipt prints, the PIX key, the employees' discount limit, the cash rule and the printer. A
// store may have its own receipt data, PIX and printer (/api/stores/{id}/settings); the settings
// in a store (GET /api/settings?store_id=) are its own where it has them, the shop's elsewhere.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import { withOfflineCopy } from '../../api/offlineCopy';
import type { Settings, SettingsChanges, StoreSettings, StoreSettingsBody } from '../../api/types';

export const getSettings = (storeId?: number) => request<Settings>('/api/settings', { query: { store_id: storeId } });
export const saveSettings = (changes: SettingsChanges) => request<Settings>('/api/settings', { method: 'PUT', body: changes });
export const getStoreSettings = (storeId: number) => request<StoreSettings>(`/api/stores/${storeId}/settings`);
export const saveStoreSettings = ({ storeId, body }: { storeId: number; body: StoreSettingsBody }) =>
  request<StoreSettings>(`/api/stores/${storeId}/settings`, { method: 'PUT', body });

export const settingsKeys = {
  all: rootKeys.settings,
  /** the settings in a store (null: the shop's) */
  of: (storeId: number | undefined) => [...rootKeys.settings, storeId ?? null] as const,
  own: (storeId: number) => [...rootKeys.settings, 'own', storeId] as const,
};

/** Kept on the terminal too: the PDV sells offline with the settings last seen (the discount limit,
 * the cash rule, the receipt's header), each store's apart. */
export const settingsQueries = {
  of: (storeId?: number) =>
    queryOptions({
      queryKey: settingsKeys.of(storeId),
      queryFn: withOfflineCopy(storeId === undefined ? 'configuracoes' : `configuracoes.loja${storeId}`, () => getSettings(storeId)),
      staleTime: 60_000,
    }),
  /** a store's own (administrators): null fields are the shop's */
  own: (storeId: number) => queryOptions({ queryKey: settingsKeys.own(storeId), queryFn: () => getStoreSettings(storeId) }),
};

/** The shop's settings, as the settings page edits them. */
export const settingsQuery = settingsQueries.of();

/** The settings in a store (none: the shop's), or undefined while they load (or when they cannot
 * be read: defaults apply). `ready` false: not read yet (the store is not known yet). */
export function useSettings(storeId?: number, ready = true): Settings | undefined {
  return useQuery({ ...settingsQueries.of(storeId), enabled: ready }).data;
}

/** Whether a network thermal printer is configured. */
export const hasPrinter = (s: Settings | undefined): boolean => !!s?.printer_address?.trim();

/** New settings change what the receipts show and the QR codes (their PIX key). */
export const SETTINGS_STALES = [rootKeys.settings, rootKeys.pix] as const;

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: saveSettings, onSuccess: () => void invalidate(qc, SETTINGS_STALES) });
}

export function useSaveStoreSettings() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: saveStoreSettings, onSuccess: () => void invalidate(qc, SETTINGS_STALES) });
}
