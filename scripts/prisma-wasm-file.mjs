// esbuild plugin: Prisma's query compiler ships only as a JavaScript module holding the WebAssembly as one
// 2.2 MB base64 string (`query_compiler_*.wasm-base64.mjs`), which the generated client imports and decodes at
// its first connect. Compiling that module took ~60 ms and decoding it ~12 ms of every start (docs/benchmarks.md).
// The build decodes it once and writes the binary next to the chunk that loads it; the module the client imports
// then reads those bytes. The generated client passes `wasm` to `Buffer.from(wasm, 'base64')`, which copies a
// Buffer as it is (the encoding applies to strings only), then compiles it as before.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const WASM_BASE64_MODULE = /query_compiler_[\w.]+\.wasm-base64\.mjs$/;

/** `chunksDir`: where the build's chunks go (the module below becomes one of them, as a dynamic import). */
export function prismaWasmAsFile(chunksDir, written) {
  return {
    name: 'prisma-wasm-file',
    setup(build) {
      build.onLoad({ filter: WASM_BASE64_MODULE }, async (args) => {
        const { wasm } = await import(pathToFileURL(args.path).href);
        const bytes = Buffer.from(wasm, 'base64');
        if (!WebAssembly.validate(bytes)) throw new Error(`${args.path} does not hold a valid WebAssembly module`);
        const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 8).toUpperCase();
        const name = `${basename(args.path, '.wasm-base64.mjs')}-${hash}.wasm`;
        mkdirSync(chunksDir, { recursive: true });
        writeFileSync(join(chunksDir, name), bytes);
        written.push(name);
        return {
          loader: 'js',
          contents: `import { readFileSync } from 'node:fs';\nexport const wasm = readFileSync(new URL(${JSON.stringify(`./${name}`)}, import.meta.url));\n`,
        };
      });
    },
  };
}
