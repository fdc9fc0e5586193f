import { defineConfig } from 'vite';
import tailwindcss from '@tailwindcss/vite';
import { VitePWA } from 'vite-plugin-pwa';

// Preact renders the app; `react`/`react-dom` are npm aliases of preact/compat (package.json),
// so the two React libraries we use (wouter, TanStack Query) run on Preact too.
export default defineConfig({
  plugins: [
    tailwindcss(),
    // An installable app whose shell and code a service worker keeps, so that the PDV opens (a
    // reload, a new tab) with the server unreachable. It precaches the build (every page's code,
    // the CSS, the icons: about a megabyte, no photos) and answers every navigation with the
    // cached index.html; the app then says which pages need the server. API requests are never
    // cached here: the PDV keeps what it needs offline in IndexedDB. main.tsx registers it.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'Sistema de Vendas — PDV',
        short_name: 'PDV',
        description: 'Ponto de venda que continua vendendo sem conexão com o servidor.',
        lang: 'pt-BR',
        start_url: '/pdv',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1d4ed8',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        navigateFallback: '/index.html',
        // What the server answers itself: the API (and its docs), the probes, the metrics.
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/(healthz|readyz|metrics)$/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        // One file (sw.js), nothing loaded from elsewhere.
        inlineWorkboxRuntime: true,
      },
    }),
  ],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2022',
    // The manifest lets scripts/size.mjs add up what each page loads.
    manifest: true,
    sourcemap: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // TanStack Query marks its modules "use client" (for React Server Components): meaningless here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    // `npm run dev` talks to a server started with `cargo run` (port 5001) unless VITE_API_URL is set.
    proxy: { '/api': 'http://127.0.0.1:5001' },
  },
});
