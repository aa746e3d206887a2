/** Label values are text leaves; they are parsed like every other source's (one set of rules). */
export { parseLabelBool, parseLabelDuration, parseLabelFloat, parseLabelInt, splitLabelList } from '../config/dynamic/scalars.js';
export type { ParsedValue } from '../config/dynamic/scalars.js';
