// Prisma's schema engine as WebAssembly (npm: @prisma/schema-engine-wasm), so migrations run offline.
// Node 20 cannot import the package's ESM entry (it imports a .wasm file), so the module is
// instantiated by hand as ../shared/notes/prisma-offline.md describes.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine };

// Node provides WebAssembly globally; TypeScript only declares it in the DOM lib, so describe what is used.
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let instantiated: Promise<void> | undefined;

function instantiate(): Promise<void> {
  instantiated ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bytes = await readFile(join(dir, 'schema_engine_bg.wasm'));
    const module = await wasm.compile(bytes);
    const instance = new wasm.Instance(module, { './schema_engine_bg.js': bindings });
    (bindings as unknown as { __wbg_set_wasm(exports: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  })();
  return instantiated;
}

export interface OpenedSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes the connections it opened (freeing alone leaves them open, and an open
   * SQLite connection can keep the database locked). */
  close(): Promise<void>;
}

export async function openSchemaEngine(
  schemaPath: string,
  schemaText: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  onLog: (message: string) => void = () => {},
): Promise<OpenedSchemaEngine> {
  await instantiate();
  const opened: SqlDriverAdapter[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: async () => {
      const adapter = await adapterFactory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = withScriptFallback(await adapterFactory.connectToShadowDb());
      opened.push(adapter);
      return adapter;
    },
  };
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [[schemaPath, schemaText]] },
    (message: string) => onLog(message),
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  return {
    engine,
    async close() {
      engine.free();
      await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
    },
  };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/**
 * The engine replays whole migration files on the shadow database with executeRaw, which better-sqlite3
 * refuses for more than one statement; run those as a script instead.
 */
function withScriptFallback(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length === 0 && /more than one statement/.test(String(error))) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      throw error;
    }
  };
  return adapter;
}
