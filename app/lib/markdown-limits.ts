/** Limits of the markdown module, shared with forms that run in the browser too. */
export const MARKDOWN_MAX_LENGTH = 30_000;
/** Nested quotes and lists deeper than this are refused: marked recurses per level and overflows its stack. */
export const MARKDOWN_MAX_DEPTH = 32;
