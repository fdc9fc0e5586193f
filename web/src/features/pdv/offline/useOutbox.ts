import { useEffect, useState } from 'preact/hooks';
import { type PendingSale, type RefusedSale, refusedSales, subscribeOutbox, waitingSales } from './outbox';

export interface OutboxState {
  waiting: PendingSale[];
  refused: RefusedSale[];
  /** false until the outbox has been read */
  loaded: boolean;
}

/** The sales this terminal keeps (waiting and refused), read again whenever any tab changes them. */
export function useOutbox(): OutboxState {
  const [state, setState] = useState<OutboxState>({ waiting: [], refused: [], loaded: false });
  useEffect(() => {
    let live = true;
    const read = () =>
      Promise.all([waitingSales(), refusedSales()])
        .then(([waiting, refused]) => live && setState({ waiting, refused, loaded: true }))
        .catch(() => live && setState((s) => ({ ...s, loaded: true })));
    void read();
    const stop = subscribeOutbox(() => void read());
    return () => {
      live = false;
      stop();
    };
  }, []);
  return state;
}
