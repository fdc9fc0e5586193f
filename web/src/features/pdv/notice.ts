/** The one message line of the PDV (what a scan, the cart or the checkout has to say). */
export type Notice = { kind: 'error' | 'success' | 'info'; text: string } | null;
