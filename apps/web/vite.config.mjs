// The pages are plain TypeScript and DOM; the gateway serves dist/ (GATEWAY_WEB_DIR) at `/`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Helmet's CSP allows scripts from 'self' only: nothing inlined into index.html.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // `vite` (nx run web:serve) against a gateway on 3000.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
