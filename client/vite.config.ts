import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { baseCompile } from '@intlify/message-compiler';
import zh from './src/i18n/zh';

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
 * Fills index.html's first screen (the header and the public page's first row, drawn before any
 * script) with the app's own Chinese strings: `{{zh:nav.login}}` is `zh.nav.login` of
 * client/src/i18n/zh.ts, so the two never drift apart. An unknown key fails the build.
 */
function firstScreenText(): Plugin {
  const lookup = (key: string): string => {
    const value = key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), zh);
    if (typeof value !== 'string') throw new Error(`index.html asks for ${key}, which is not a string of client/src/i18n/zh.ts`);
    return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  };
  return {
    name: 'first-screen-text',
    transformIndexHtml: { order: 'pre', handler: (html) => html.replace(/\{\{zh:([\w.]+)\}\}/g, (_, key: string) => lookup(key)) },
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
 * The chunks main.ts imports one by one as the app starts (each evaluated in its own task): the
 * framework, its i18n and router, the UI strings and the app's own modules.
 */
const START_CHUNKS = ['vue', 'vue-i18n', 'vue-router', 'zh', 'startApp'];

/**
 * Preloads the chunks the app starts with, and puts their stylesheets (the components') into
 * index.html after the entry's. main.ts imports the chunks one per task after paints; without the
 * links each would be requested only then, one round trip after another on a slow network
 * (`modulepreload` fetches and compiles a module without evaluating it). Their stylesheets as
 * files would come only with the import too, and restyle the page that has been painted since.
 */
function startChunks(): Plugin {
  return {
    name: 'start-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((output) => output.type === 'chunk');
        const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
        const files = new Set<string>();
        const add = (fileName: string) => {
          const chunk = byFile.get(fileName);
          if (!chunk || files.has(fileName) || chunk.isEntry) return;
          files.add(fileName);
          chunk.imports.forEach(add);
        };
        for (const chunk of chunks) if (START_CHUNKS.includes(chunk.name) && !chunk.isEntry) add(chunk.fileName);
        const links = [...files]
          .filter((file) => !html.includes(`/${file}"`))
          .map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`)
          .join('');
        // The files stay in the bundle: the lazy map's chunk may name one of them as its own too.
        const css = [...new Set([...files].flatMap((file) => [...(byFile.get(file)?.viteMetadata?.importedCss ?? [])]))];
        const styles = css.map((file) => ctx.bundle?.[file]).map((asset) => (asset?.type === 'asset' ? `<style>${String(asset.source)}</style>` : '')).join('');
        return html.replace('</head>', `${styles}${links}</head>`);
      },
    },
    // Vite would also load the inlined stylesheets as files when a chunk that has them is
    // imported (its preload list, `__vite__mapDeps`): every chunk's list leaves them out.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const chunks = Object.values(bundle).filter((output) => output.type === 'chunk');
        const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
        const inlined = new Set<string>();
        const seen = new Set<string>();
        const add = (fileName: string) => {
          const chunk = byFile.get(fileName);
          if (!chunk || seen.has(fileName)) return;
          seen.add(fileName);
          chunk.viteMetadata?.importedCss.forEach((css) => inlined.add(css));
          chunk.imports.forEach(add);
        };
        for (const chunk of chunks) if (chunk.isEntry || START_CHUNKS.includes(chunk.name)) add(chunk.fileName);
        for (const chunk of chunks) {
          const list = /m\.f=\[([^\]]*)\]/.exec(chunk.code);
          if (!list) continue;
          const deps = JSON.parse(`[${list[1]}]`) as string[];
          const skip = new Set(deps.flatMap((dep, i) => (inlined.has(dep) ? [String(i)] : [])));
          chunk.code = chunk.code.replace(/__vite__mapDeps\(\[([\d,]*)\]\)/g, (_call, ids: string) => `__vite__mapDeps([${ids.split(',').filter((id) => !skip.has(id)).join(',')}])`);
        }
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
  const hinted = (chunk: { isEntry: boolean; name: string }) => chunk.isEntry || START_CHUNKS.includes(chunk.name);
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
  plugins: [vue(), firstScreenText(), precompileMessages(), inlineEntryStylesheet(), compileHints(), startChunks()],
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
            // Three chunks, evaluated one per task as the app starts (main.ts).
            { name: 'vue', test: /node_modules[\\/](@vue|vue)[\\/]/ },
            { name: 'vue-router', test: /node_modules[\\/]vue-router[\\/]/ },
            { name: 'vue-i18n', test: /node_modules[\\/](vue-i18n|@intlify)[\\/]/ },
            // The Chinese UI strings (one JSON text), parsed in a task of their own.
            { name: 'zh', test: /client[\\/]src[\\/]i18n[\\/]zh\.ts$/ },
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
