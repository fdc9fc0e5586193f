import { render } from 'preact';
import { App } from './app/App';
import './index.css';

render(<App />, document.getElementById('app')!);

// The service worker (vite-plugin-pwa, vite.config.ts) keeps the app on the terminal so that the
// PDV opens without the server. Browsers allow it only on https and localhost.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js').catch(() => {}));
}
