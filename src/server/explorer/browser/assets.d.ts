// Stylesheets are bundled by esbuild (src/server/explorer/explorer-assets.ts).
declare module '*.css';
