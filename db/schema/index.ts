export * from "./users.ts";
export * from "./spaces.ts";
export * from "./qa.ts";
export * from "./ideas.ts";
export * from "./search.ts";
export * from "./imports.ts";
export * from "./mail.ts";
