import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

/**
 * Puts the entry's stylesheet (about 18 KB, 4.5 KB gzip) into index.html as a <style> element.
 * A linked stylesheet blocks the first paint until it has come over the network; on a slow phone
 * network that is a whole round trip before even the header shows. The lazy chunks' stylesheets
 * (the map, the workspaces) stay files. The service's CSP allows inline styles.
 */
function inlineEntryStylesheet(): Plugin {
  return {
    name: 'inline-entry-stylesheet',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        return html.replace(/<link rel="stylesheet"[^>]*href="\/(assets\/[^"]+\.css)"[^>]*>/g, (tag, fileName: string) => {
          const asset = ctx.bundle?.[fileName];
          if (!asset || asset.type !== 'asset') return tag;
          delete ctx.bundle![fileName];
          return `<style>${String(asset.source)}</style>`;
        });
      },
    },
  };
}

// The Express server answers /api, /tiles and /ogc; in development Vite forwards them so the
// client runs at one origin, as it does in production (the session cookie is SameSite=Strict).
const apiTarget = process.env.API_TARGET ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue(), inlineEntryStylesheet()],
  define: {
    // vue-i18n feature flags: composition API only, no devtools in production builds.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // maplibre-gl alone is about 1 MB minified; it is one cacheable chunk shared by every page.
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      output: {
        // Named chunks that change rarely: a new release of the app's own code leaves them cached.
        // MapLibre is loaded only once the public page's search and answer are on screen.
        advancedChunks: {
          groups: [
            // Its stylesheet stays with the module that imports it (map/useMap.ts): a CSS module in
            // this group would make every importer load the whole chunk at once.
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl[\\/](?!.*\.css$)/ },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|vue-i18n|@intlify)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    // The client imports the vocabularies it shares with the server from ../contract.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/tiles': { target: apiTarget, changeOrigin: false },
      '/ogc': { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget },
      '/tiles': { target: apiTarget },
      '/ogc': { target: apiTarget },
    },
  },
});
