import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The nurses' UI. Run from the repository root with this folder as Vite's root
 * (`vite build services/care-web`); care-api serves the output at / (services/care-api/src/web).
 */
const CARE_API = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  // @rpm/contracts resolves through tsconfig paths; the UI only imports its types.
  resolve: { tsconfigPaths: true },
  build: {
    outDir: '../../dist/care-web',
    emptyOutDir: true,
    // Hashed file names under assets/: care-api caches them for a year, index.html never.
    assetsDir: 'assets',
  },
  server: {
    port: 5173,
    strictPort: true,
    // The dev server forwards the API (and its event stream) to a care-api on 3000 (npm run demo).
    proxy: { '/api': { target: CARE_API, changeOrigin: false } },
  },
});
