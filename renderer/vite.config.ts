import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// `npm run dev` only: the React refresh preamble is an inline script the production CSP forbids,
// and the API lives on a running core (`shimmy serve`), reached through the dev server's proxy.
const devWithoutCsp: Plugin = {
  name: 'shimmy-dev-without-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
};
const core = process.env.SHIMMY_URL ?? 'http://127.0.0.1:8484';

export default defineConfig({
  root,
  base: './',
  plugins: [react(), devWithoutCsp],
  server: { proxy: { '/api': core, '/login': core } },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
  },
});
