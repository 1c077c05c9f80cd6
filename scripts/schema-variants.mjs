// Derives the PostgreSQL variant of prisma/schema.prisma (provider and client output differ; models do not).
export function derivePostgresSchema(sqliteSchemaText) {
  const out = sqliteSchemaText
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "../src/generated/sqlite"', 'output       = "../../src/generated/postgresql"');
  if (out === sqliteSchemaText || !out.includes('"postgresql"') || !out.includes('generated/postgresql')) {
    throw new Error('schema-variants: prisma/schema.prisma no longer has the expected provider/output lines');
  }
  return '// GENERATED from prisma/schema.prisma by scripts/schema-variants.mjs. Do not edit.\n' + out;
}
