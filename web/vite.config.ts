import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The server sends a strict Content-Security-Policy (script-src 'self'; style-src 'self'):
// the build must put every script and every style rule in files under /assets, never inline.
// Svelte's component CSS is emitted to the CSS bundle (the plugin's default, css: 'external'),
// and the modulepreload polyfill, which Vite would otherwise add to the entry chunk, is not
// needed by the browsers we support.
// CERTUS_API points the dev server's proxy at another server (default: `make run`'s).
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const api = env.CERTUS_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [svelte({ compilerOptions: { css: 'external' } })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/healthz': { target: api },
      '/readyz': { target: api },
    },
  },
});
