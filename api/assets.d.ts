// Bundled as text modules on Workers (see the rules in wrangler.toml).
declare module 'redoc/bundles/redoc.standalone.js' {
  const content: string;
  export default content;
}
