import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { baseCompile } from '@intlify/message-compiler';

/**
 * Compiles the UI strings (client/src/i18n/zh.ts, en.ts) at build time into the message ASTs
 * vue-i18n formats directly, so the browser neither downloads vue-i18n's message compiler
 * (`__INTLIFY_DROP_MESSAGE_COMPILER__`) nor compiles each message on first use while the page
 * mounts. @intlify/unplugin-vue-i18n does this too but needs Node 22; this is the same call of the
 * same compiler, on modules that are plain object literals once their types are stripped.
 */
function precompileMessages(): Plugin {
  const compileAll = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const { ast, detectError } = baseCompile(value, { jit: true, location: false, minify: true });
      if (detectError) throw new Error(`UI string does not compile: ${value}`);
      return ast;
    }
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compileAll(v)]));
    return value;
  };
  return {
    name: 'precompile-messages',
    apply: 'build',
    // Builds only: the development server keeps the compiler and the plain strings.
    config: () => ({ define: { __INTLIFY_DROP_MESSAGE_COMPILER__: true } }),
    // After TypeScript is stripped: the module is then `const zh = { … }; export default zh;`.
    enforce: 'post',
    async transform(code, id) {
      if (!/[\\/]client[\\/]src[\\/]i18n[\\/](zh|en)\.ts$/.test(id)) return null;
      const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { default: unknown };
      // As JSON text: V8 parses a large JSON string much faster than the same object literal.
      return { code: `export default JSON.parse(${JSON.stringify(JSON.stringify(compileAll(module.default)))});`, map: null };
    },
  };
}

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

/**
 * Marks the scripts the page runs as it loads (the entry and the framework chunk) with V8's
 * explicit compile hint, the magic comment `//# allFunctionsCalledOnLoad`: Chrome then compiles
 * all their functions while it streams the file, off the main thread, instead of one at a time
 * on first call in the middle of the app's start. On the phone page (Chromium 156, main-thread
 * time of a load, median of 11) the app's start went from 84 ms to 42 ms. Browsers without the
 * feature read a comment. The lazy chunks (the map, the workspaces) are left to compile lazily.
 */
function compileHints(): Plugin {
  const HINT = '//# allFunctionsCalledOnLoad\n';
  const hinted = (chunk: { isEntry: boolean; name: string }) => chunk.isEntry || chunk.name === 'vue';
  return {
    name: 'compile-hints',
    apply: 'build',
    // The file names change with the hint, like with any other change of their content.
    augmentChunkHash: (chunk) => (hinted(chunk) ? HINT : undefined),
    // Last, once the chunks are minified (the minifier drops comments) and Vite has put its
    // preload list at the top of the entry: the hint works only as a file's first line.
    enforce: 'post',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const output of Object.values(bundle)) {
          if (output.type === 'chunk' && hinted(output)) output.code = HINT + output.code;
        }
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
  plugins: [vue(), precompileMessages(), inlineEntryStylesheet(), compileHints()],
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
