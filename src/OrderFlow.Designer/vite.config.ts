import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is built into the server's static files; `npm run dev` proxies the API to a server from `./orderflow up --port 5280`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../OrderFlow.Server/wwwroot',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    port: 5283,
    proxy: { '/api': 'http://127.0.0.1:5280', '/hangfire': 'http://127.0.0.1:5280' },
  },
});
