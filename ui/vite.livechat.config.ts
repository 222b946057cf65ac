// Builds the website live chat into ui/dist/livechat, apart from the messenger's bundle: mode
// `loader` builds widget.js (one IIFE, no globals, no imports: what a site includes); any other mode
// builds the conversation page (chat.html and its assets under /livechat/), which /online/<code>?embed=1
// serves (src/http/widget-page.ts). The BB-code renderer is the messenger's (src/format).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const root = fileURLToPath(new URL('./livechat', import.meta.url));
const define = { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' };

export default defineConfig(({ mode }) => (mode === 'loader'
  ? {
    root,
    build: {
      outDir: 'dist', emptyOutDir: false, sourcemap: false, target: 'es2019', minify: true,
      lib: { entry: 'loader.ts', formats: ['iife'], name: 'parleyWidget', fileName: () => 'widget.js' },
    },
  }
  : {
    root, base: '/livechat/', plugins: [vue()], define,
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022', rollupOptions: { input: 'chat.html' } },
  }));
