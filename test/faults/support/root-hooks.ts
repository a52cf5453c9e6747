import { faultTable } from './fault-table.js';

/** The suite's one output that matters: the table, once every case has run (passed or not). */
export const mochaHooks = {
  afterAll(): void {
    console.log(`\n${faultTable()}\n`);
  },
};
