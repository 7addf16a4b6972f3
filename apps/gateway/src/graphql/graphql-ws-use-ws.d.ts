// graphql-ws publishes `graphql-ws/use/ws` through package.json "exports", which the workspace's
// `moduleResolution: node` does not read; this points the type checker at the same declarations.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
