// Bundled as text modules on Workers (see the rules in wrangler.toml).
declare module 'swagger-ui-dist/swagger-ui.css' {
  const content: string;
  export default content;
}
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const content: string;
  export default content;
}
