// Builds the web messenger into ui/dist, which src/http/web.ts serves at `/`. The BB-code parser and
// renderer are imported from ../src/format so the server and the browser render messages identically.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [vue()],
  define: {
    // The UI uses the Composition API only; the Options API and devtools hooks are dead weight.
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: {
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    // `vite` in ui/ for UI work: the portal (npm start) answers the API and the socket.
    proxy: { '/rest': 'http://127.0.0.1:8080', '/web': 'http://127.0.0.1:8080', '/realtime': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
