/** A `.wasm` import: Cloudflare Workers and bundlers hand it over compiled. */
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
