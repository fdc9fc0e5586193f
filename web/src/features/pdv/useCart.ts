import { useCallback, useRef, useState } from 'preact/hooks';
import { type Cart, emptyCart, parseStoredCart } from './cart';

const key = (userId: number) => `sv.cart.${userId}`;

/**
 * The cart of this user, kept in localStorage so that a reload or an expired session (401 ->
 * login -> back to /pdv) does not lose it. `update` works on the latest cart even when several
 * scans are processed before the next render.
 */
export function usePersistentCart(userId: number) {
  const [cart, setCart] = useState<Cart>(() => parseStoredCart(localStorage.getItem(key(userId))) ?? emptyCart());
  const ref = useRef(cart);

  const update = useCallback((fn: (c: Cart) => Cart) => {
    const next = fn(ref.current);
    if (next !== ref.current) {
      ref.current = next;
      // Saved at once, not in an effect: a 401 may leave the page before effects run.
      localStorage.setItem(key(userId), JSON.stringify(next));
      setCart(next);
    }
    return next;
  }, [userId]);

  return { cart, cartRef: ref, update };
}
