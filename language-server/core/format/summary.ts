/** The one-line summary of a report (the code lens and the status bar tooltip); built in figures.ts. */
export { lensSummary } from './figures';
