/** The coverage view's list size and window (docs/expertise.md), shared by its query and its page. */
export const COVERAGE_PAGE_SIZE = 25;
export const COVERAGE_WINDOW_DAYS = 90;
