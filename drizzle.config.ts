import { defineConfig } from "drizzle-kit";

// Used by `npm run db:generate` only; generating needs no database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: "snake_case",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/commons" },
});
