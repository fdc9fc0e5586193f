import { defineConfig } from 'vite';
import tailwindcss from '@tailwindcss/vite';

// Preact renders the app; `react`/`react-dom` are npm aliases of preact/compat (package.json),
// so the two React libraries we use (wouter, TanStack Query) run on Preact too.
export default defineConfig({
  plugins: [tailwindcss()],
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
