/**
 * `/hpa`: the HPA runtime's decisions as JSON and text.
 * @module
 */
export { hpaRouter } from './router.js';
export { agreementLine, recordText, listText } from './format.js';
