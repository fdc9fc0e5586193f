// The shop's stores ("lojas") and their registered terminals: GET for everyone (an administrator
// sees every store, an employee the ones they work in), POST/PUT for administrators. A shop with
// one store shows nothing of them outside Configurações: the pages ask `useStores().several`.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import { withOfflineCopy } from '../../api/offlineCopy';
import type { PlaceChanges, Store, StorePrice, Terminal } from '../../api/types';
import { getSession } from '../../app/session';

export const listStores = () => request<Store[]>('/api/stores');
export const createStore = (name: string) => request<Store>('/api/stores', { method: 'POST', body: { name } });
export const updateStore = (id: number, body: PlaceChanges) => request<Store>(`/api/stores/${id}`, { method: 'PUT', body });
export const listTerminals = () => request<Terminal[]>('/api/terminals');
export const createTerminal = (body: { store_id: number; name: string }) => request<Terminal>('/api/terminals', { method: 'POST', body });
export const updateTerminal = (id: number, body: PlaceChanges) => request<Terminal>(`/api/terminals/${id}`, { method: 'PUT', body });

export const listStorePrices = (storeId: number) => request<StorePrice[]>(`/api/stores/${storeId}/prices`);
export const setStorePrice = (storeId: number, productId: number, price: string) =>
  request<StorePrice>(`/api/stores/${storeId}/prices/${productId}`, { method: 'PUT', body: { price } });
export const clearStorePrice = (storeId: number, productId: number) => request<void>(`/api/stores/${storeId}/prices/${productId}`, { method: 'DELETE' });

export const storeKeys = { all: rootKeys.stores, terminals: rootKeys.terminals, prices: (storeId: number) => [...rootKeys.stores, 'prices', storeId] as const };

/** Kept on the terminal too, per user (an employee sees only their stores): the PDV offline still
 * knows where it sells. */
const storesOrCopy = () => withOfflineCopy(`lojas.${getSession()?.user.id ?? 0}`, listStores)();

export const storesQuery = queryOptions({ queryKey: storeKeys.all, queryFn: storesOrCopy, staleTime: 60_000 });
export const terminalsQuery = queryOptions({ queryKey: storeKeys.terminals, queryFn: listTerminals });
/** The prices a store charges instead of the catalog's (administrators). */
export const storePricesQuery = (storeId: number) => queryOptions({ queryKey: storeKeys.prices(storeId), queryFn: () => listStorePrices(storeId) });

/** The stores the user sees; `several` when there are two or more (only then do the pages show a
 * store). Until the answer comes, or when it fails, there is one: nothing shown, nothing sent. */
export function useStores(): { stores: Store[]; several: boolean; name: (id: number) => string } {
  const stores = useQuery(storesQuery).data ?? [];
  return { stores, several: stores.length > 1, name: (id) => stores.find((s) => s.id === id)?.name ?? `Loja ${id}` };
}

/** The store chosen among `options` (the active ones, say), or the first of them when none is
 * chosen or the chosen one is not among them. */
export function chosenStore(options: readonly Store[], id: number | null | undefined): Store | undefined {
  return options.find((s) => s.id === id) ?? options[0];
}

const CHOICE_KEY = 'sv.loja';

function storedChoice(): number | null {
  try {
    return Number(localStorage.getItem(CHOICE_KEY)) || null;
  } catch {
    return null;
  }
}

/**
 * Where this terminal sells, when the user can sell in two or more active stores (`store`
 * undefined otherwise: the server takes the only one, and nothing is sent). The choice is
 * remembered on this device; an open cash session fixes it to the session's store (`locked`),
 * where the server records its sales.
 */
export function useStoreChoice(sessionStoreId?: number) {
  const answer = useQuery(storesQuery);
  const active = (answer.data ?? []).filter((s) => s.active);
  const [picked, setPicked] = useState(storedChoice);
  const several = active.length > 1;
  const locked = several && active.some((s) => s.id === sessionStoreId);
  const store = several ? chosenStore(active, locked ? sessionStoreId : picked) : undefined;
  function choose(id: number) {
    setPicked(id);
    try {
      localStorage.setItem(CHOICE_KEY, String(id));
    } catch {
      // private mode: the choice lasts for this page
    }
  }
  /** The store whose stock and prices the terminal shows: where it sells, or the user's only
   * store (an employee of one store of several reads that one's, not the chain's totals). */
  const shows = store?.id ?? (active.length === 1 ? active[0]!.id : undefined);
  return { stores: several ? active : [], store, locked, choose, shows, known: !answer.isPending };
}

/** A store renamed, closed or reopened: the stores, and the sales and cash sessions that name it. */
export const STORE_STALES = [rootKeys.stores, rootKeys.sales, rootKeys.cash] as const;

export function useSaveStore() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: null; name: string } | { id: number; changes: PlaceChanges }) => (v.id === null ? createStore(v.name) : updateStore(v.id, v.changes)),
    onSuccess: () => void invalidate(qc, STORE_STALES),
  });
}

/** A store's own price set (`price`) or dropped (null: the catalog's again): that store's prices,
 * and every product read (the PDV's catalog of that store among them). */
export function useStorePrice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { storeId: number; productId: number; price: string | null }) => {
      if (v.price === null) await clearStorePrice(v.storeId, v.productId);
      else await setStorePrice(v.storeId, v.productId, v.price);
    },
    onSuccess: (_, v) => void invalidate(qc, [storeKeys.prices(v.storeId), rootKeys.products]),
  });
}

export function useSaveTerminal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: null; store_id: number; name: string } | { id: number; changes: PlaceChanges }) =>
      v.id === null ? createTerminal({ store_id: v.store_id, name: v.name }) : updateTerminal(v.id, v.changes),
    onSuccess: () => void invalidate(qc, [rootKeys.terminals]),
  });
}
