/** The Sprig function set (Masterminds/sprig v3) as Launchpad provides it; see unsupported.ts for what is left out. */
import type { GoTemplateFunction } from '../types.js';
import { CASE_FUNCTIONS } from './cases.js';
import { DATE_FUNCTIONS } from './dates.js';
import { DICT_FUNCTIONS } from './dicts.js';
import { ENCODING_FUNCTIONS } from './encoding.js';
import { LIST_FUNCTIONS, MUST_LIST_FUNCTIONS } from './lists.js';
import { MATH_FUNCTIONS } from './math.js';
import { REFLECTION_FUNCTIONS } from './reflection.js';
import { STRING_FUNCTIONS } from './strings.js';

export const SPRIG_FUNCTIONS: Readonly<Record<string, GoTemplateFunction>> = Object.freeze({
  ...STRING_FUNCTIONS,
  ...CASE_FUNCTIONS,
  ...LIST_FUNCTIONS,
  ...MUST_LIST_FUNCTIONS,
  ...DICT_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...ENCODING_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...REFLECTION_FUNCTIONS,
});
