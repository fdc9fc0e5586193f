// Whether the server answers, as the last request found out: any answer says yes; no answer
// (network error, timeout) or a gateway's 502/503/504 says no. The PDV sells offline while it
// is no, and the pages that need the server say so. `navigator.onLine` is not used: a PDV may
// run the server on the same computer, reachable with the network cable out.
type Listener = () => void;

const listeners = new Set<Listener>();
let reachable = true;

export function serverReachable(): boolean {
  return reachable;
}

export function setServerReachable(value: boolean): void {
  if (value === reachable) return;
  reachable = value;
  for (const l of listeners) l();
}

export function subscribeReachable(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
