export * from "./users.ts";
export * from "./spaces.ts";
