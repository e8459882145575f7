import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleBudget } from './build/bundle-budget';

// Served by the control plane at /console/ (apps/control-plane/src/console/serve-console.ts)
// under a CSP without 'unsafe-inline': no inline script, so no module-preload polyfill either.
export default defineConfig({
  base: '/console/',
  plugins: [react(), bundleBudget()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
